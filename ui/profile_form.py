"""The branch profile form, shared by the first-run wizard and the settings page.

A ``ValidationError`` names the field at fault (``name``, ``branch_type``, ``founded_on`` …); the
form shows its message in red under that field.
"""

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

from ledger_app import vocab
from ledger_app.services.branch import BranchProfile

from .forms import FieldError, OptionalDateEdit, add_field_row


class ProfileForm(QWidget):
    """支部名称, 支部类型, 上级党委, 成立日期 and, when ``with_contact``, 通信地址 and 联系电话."""

    def __init__(self, with_contact: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText("例如：XX公司第一党支部")
        self.name.setMaxLength(100)
        self.branch_type = QComboBox()
        for code, label in vocab.BRANCH_TYPES.items():
            self.branch_type.addItem(label, code)
        self.upper_committee = QLineEdit()
        self.upper_committee.setPlaceholderText("例如：XX公司党委")
        self.founded_on = OptionalDateEdit()
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.with_contact = with_contact

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.errors: dict[str, FieldError] = {}
        rows = [("name", "支部名称(&M)：", self.name), ("branch_type", "支部类型(&T)：", self.branch_type),
                ("upper_committee", "上级党委(&U)：", self.upper_committee),
                ("founded_on", "成立日期(&D)：", self.founded_on)]
        if with_contact:
            rows += [("address", "通信地址(&A)：", self.address), ("phone", "联系电话(&P)：", self.phone)]
        for field, label, widget in rows:
            self.errors[field] = add_field_row(form, label, widget)

    def profile(self) -> BranchProfile:
        """The profile as typed (the service strips and checks it)."""
        return BranchProfile(
            name=self.name.text(),
            branch_type=self.branch_type.currentData(),
            upper_committee=self.upper_committee.text(),
            founded_on=self.founded_on.value(),
            address=self.address.text() if self.with_contact else "",
            phone=self.phone.text() if self.with_contact else "",
        )

    def set_profile(self, profile: BranchProfile | None) -> None:
        profile = profile or BranchProfile(name="", branch_type="government")
        self.name.setText(profile.name)
        index = self.branch_type.findData(profile.branch_type)
        self.branch_type.setCurrentIndex(max(index, 0))
        self.upper_committee.setText(profile.upper_committee)
        self.founded_on.set_value(profile.founded_on)
        self.address.setText(profile.address)
        self.phone.setText(profile.phone)
        self.clear_errors()

    def show_error(self, field: str | None, message: str) -> bool:
        """Show ``message`` under ``field``; False when the form has no such field."""
        error = self.errors.get(field or "")
        if error is None:
            return False
        error.show_message(message)
        widget = {"name": self.name, "branch_type": self.branch_type, "upper_committee": self.upper_committee,
                  "founded_on": self.founded_on, "address": self.address, "phone": self.phone}[field]
        widget.setFocus()
        return True

    def clear_errors(self) -> None:
        for error in self.errors.values():
            error.clear_message()
