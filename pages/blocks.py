"""StreamField blocks, one DSFR component each (templates in templates/blocks/)."""

from wagtail import blocks


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titre", required=False)
    text = blocks.RichTextBlock(label="Texte", features=["bold", "italic", "link", "ul"])

    class Meta:
        label = "Mise en avant"
        icon = "pick"
        template = "blocks/callout.html"


class AccordionItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titre")
    text = blocks.RichTextBlock(label="Texte", features=["bold", "italic", "link", "ul", "ol"])


class AccordionBlock(blocks.StructBlock):
    items = blocks.ListBlock(AccordionItemBlock(), label="Éléments")

    class Meta:
        label = "Accordéons"
        icon = "list-ul"
        template = "blocks/accordion.html"


class HeadingBlock(blocks.CharBlock):
    class Meta:
        label = "Intertitre"
        icon = "title"
        template = "blocks/heading.html"


class ContentBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label="Paragraphe", features=["bold", "italic", "link", "ul", "ol"],
        template="blocks/paragraph.html",
    )  # fmt: skip
    callout = CalloutBlock()
    accordion = AccordionBlock()
