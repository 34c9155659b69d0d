"""The bank-statement import wizard (issue 14): File → Import… opens it."""

from desktop.views.import_wizard.wizard import ImportWizard

__all__ = ["ImportWizard"]
