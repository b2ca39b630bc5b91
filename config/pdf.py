"""Printable documents (fpdf2): a title, headings and paragraphs, on A4.

Every PDF the portal makes goes through `Document`. Text is printed as typed, whatever its
script — Latin with diacritics (French, Polish, Turkish, Vietnamese « Nguyễn Thị »), Greek,
Cyrillic, Arabic: the DejaVu Sans font is embedded (subset to the glyphs used; licence in
`config/fonts/LICENCE.md`) and text is shaped by HarfBuzz (`uharfbuzz`), which joins Arabic
letters and lays right-to-left text in its order.
"""

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}  # style → file


class Document(FPDF):
    def __init__(self, title):
        super().__init__(format="A4")
        for style, filename in FONT_FILES.items():
            self.add_font(FAMILY, style, FONTS / filename)
        self.set_text_shaping(True)
        self.set_title(title)
        self.add_page()
        self.set_font(FAMILY, "B", 16)
        self.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, "", 11)

    def heading(self, text):
        self.set_font(FAMILY, "B", 13)
        self.ln(3)
        self.line(text, height=7)
        self.set_font(FAMILY, "", 11)

    def line(self, text, height=6):
        self.multi_cell(0, height, str(text), new_x="LMARGIN", new_y="NEXT")

    def field(self, label, value):
        self.set_font(FAMILY, "B", 11)
        self.line(label)
        self.set_font(FAMILY, "", 11)
        self.line(value or "-")

    def bytes(self):
        return bytes(self.output())
