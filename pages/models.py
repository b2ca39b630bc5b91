from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from pages.blocks import ContentBlock


class HomePage(Page):
    """The portal's home: what it is for, and a search box."""

    introduction = models.TextField(blank=True)
    body = StreamField(ContentBlock(), blank=True, verbose_name="contenu")

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    subpage_types = ["pages.ContentPage"]
    max_count = 1

    class Meta:
        verbose_name = "page d'accueil"


class ContentPage(Page):
    """An editorial page: livret d'accueil, lexique, mentions légales…"""

    introduction = models.TextField(blank=True)
    body = StreamField(ContentBlock(), verbose_name="contenu")

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    parent_page_types = ["pages.HomePage", "pages.ContentPage"]

    class Meta:
        verbose_name = "page de contenu"
