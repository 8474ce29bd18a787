from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Every Django form renders with the design system's question, hint and error markup."""

    form_template_name = "includes/forms/form.html"
    field_template_name = "includes/forms/field.html"
