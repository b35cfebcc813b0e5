"""Rule errors: how a service refuses a change, and how a form shows the refusal."""

from django.core.exceptions import ValidationError


class RuleViolation(ValidationError):
    """A business rule refused the change. Views show it next to the field it names."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def add_rule_error(form, error):
    """Show a RuleViolation on `form`: next to its field when the form has it, else above."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.messages)
