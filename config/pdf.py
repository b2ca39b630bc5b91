"""Printable documents (fpdf2): a title, headings and paragraphs, on A4."""

from fpdf import FPDF

# The PDF core fonts speak Latin-1: typographic characters outside it get their plain form.
PLAIN = str.maketrans({"’": "'", "œ": "oe", "Œ": "OE", "…": "...", "–": "-", "—": "-",
                       "\u202f": " ", "\u00a0": " "})  # fmt: skip


def latin1(text):
    return str(text).translate(PLAIN).encode("latin-1", "replace").decode("latin-1")


class Document(FPDF):
    def __init__(self, title):
        super().__init__(format="A4")
        self.set_title(latin1(title))
        self.add_page()
        self.set_font("Helvetica", "B", 16)
        self.multi_cell(0, 9, latin1(title), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 11)

    def heading(self, text):
        self.set_font("Helvetica", "B", 13)
        self.ln(3)
        self.multi_cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 11)

    def line(self, text):
        self.multi_cell(0, 6, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def field(self, label, value):
        self.set_font("Helvetica", "B", 11)
        self.multi_cell(0, 6, latin1(label), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 11)
        self.line(value or "-")

    def bytes(self):
        return bytes(self.output())
