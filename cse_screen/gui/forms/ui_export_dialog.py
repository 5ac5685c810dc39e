# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'export_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QDateEdit,
    QDialog, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QProgressBar, QPushButton, QSizePolicy,
    QSpacerItem, QVBoxLayout, QWidget)

class Ui_ExportDialogForm(object):
    def setupUi(self, ExportDialogForm):
        if not ExportDialogForm.objectName():
            ExportDialogForm.setObjectName(u"ExportDialogForm")
        ExportDialogForm.resize(560, 560)
        ExportDialogForm.setModal(True)
        self.outerLayout = QVBoxLayout(ExportDialogForm)
        self.outerLayout.setObjectName(u"outerLayout")
        self.introLabel = QLabel(ExportDialogForm)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.outerLayout.addWidget(self.introLabel)

        self.fieldsLayout = QFormLayout()
        self.fieldsLayout.setObjectName(u"fieldsLayout")
        self.fieldsLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.datesLabel = QLabel(ExportDialogForm)
        self.datesLabel.setObjectName(u"datesLabel")

        self.fieldsLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.datesLabel)

        self.datesRow = QHBoxLayout()
        self.datesRow.setObjectName(u"datesRow")
        self.fromCheck = QCheckBox(ExportDialogForm)
        self.fromCheck.setObjectName(u"fromCheck")

        self.datesRow.addWidget(self.fromCheck)

        self.fromDateEdit = QDateEdit(ExportDialogForm)
        self.fromDateEdit.setObjectName(u"fromDateEdit")
        self.fromDateEdit.setEnabled(False)
        self.fromDateEdit.setCalendarPopup(True)

        self.datesRow.addWidget(self.fromDateEdit)

        self.toCheck = QCheckBox(ExportDialogForm)
        self.toCheck.setObjectName(u"toCheck")

        self.datesRow.addWidget(self.toCheck)

        self.toDateEdit = QDateEdit(ExportDialogForm)
        self.toDateEdit.setObjectName(u"toDateEdit")
        self.toDateEdit.setEnabled(False)
        self.toDateEdit.setCalendarPopup(True)

        self.datesRow.addWidget(self.toDateEdit)

        self.datesSpacer = QSpacerItem(10, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.datesRow.addItem(self.datesSpacer)


        self.fieldsLayout.setLayout(0, QFormLayout.ItemRole.FieldRole, self.datesRow)

        self.teamLabel = QLabel(ExportDialogForm)
        self.teamLabel.setObjectName(u"teamLabel")

        self.fieldsLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.teamLabel)

        self.teamCombo = QComboBox(ExportDialogForm)
        self.teamCombo.setObjectName(u"teamCombo")

        self.fieldsLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.teamCombo)

        self.workerLabel = QLabel(ExportDialogForm)
        self.workerLabel.setObjectName(u"workerLabel")

        self.fieldsLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.workerLabel)

        self.workerCombo = QComboBox(ExportDialogForm)
        self.workerCombo.setObjectName(u"workerCombo")

        self.fieldsLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.workerCombo)


        self.outerLayout.addLayout(self.fieldsLayout)

        self.pseudonymiseCheck = QCheckBox(ExportDialogForm)
        self.pseudonymiseCheck.setObjectName(u"pseudonymiseCheck")
        self.pseudonymiseCheck.setChecked(True)

        self.outerLayout.addWidget(self.pseudonymiseCheck)

        self.pseudonymiseNote = QLabel(ExportDialogForm)
        self.pseudonymiseNote.setObjectName(u"pseudonymiseNote")
        self.pseudonymiseNote.setWordWrap(True)
        self.pseudonymiseNote.setIndent(24)

        self.outerLayout.addWidget(self.pseudonymiseNote)

        self.encryptCheck = QCheckBox(ExportDialogForm)
        self.encryptCheck.setObjectName(u"encryptCheck")

        self.outerLayout.addWidget(self.encryptCheck)

        self.passwordLayout = QFormLayout()
        self.passwordLayout.setObjectName(u"passwordLayout")
        self.passwordLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.passwordLayout.setContentsMargins(24, -1, -1, -1)
        self.passwordLabel = QLabel(ExportDialogForm)
        self.passwordLabel.setObjectName(u"passwordLabel")

        self.passwordLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.passwordLabel)

        self.passwordEdit = QLineEdit(ExportDialogForm)
        self.passwordEdit.setObjectName(u"passwordEdit")
        self.passwordEdit.setEnabled(False)
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.passwordLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.passwordEdit)

        self.confirmLabel = QLabel(ExportDialogForm)
        self.confirmLabel.setObjectName(u"confirmLabel")

        self.passwordLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.confirmLabel)

        self.confirmEdit = QLineEdit(ExportDialogForm)
        self.confirmEdit.setObjectName(u"confirmEdit")
        self.confirmEdit.setEnabled(False)
        self.confirmEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.passwordLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.confirmEdit)

        self.strengthLabel = QLabel(ExportDialogForm)
        self.strengthLabel.setObjectName(u"strengthLabel")
        self.strengthLabel.setWordWrap(True)

        self.passwordLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.strengthLabel)


        self.outerLayout.addLayout(self.passwordLayout)

        self.destinationLayout = QFormLayout()
        self.destinationLayout.setObjectName(u"destinationLayout")
        self.destinationLabel = QLabel(ExportDialogForm)
        self.destinationLabel.setObjectName(u"destinationLabel")

        self.destinationLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.destinationLabel)

        self.destinationRow = QHBoxLayout()
        self.destinationRow.setObjectName(u"destinationRow")
        self.destinationEdit = QLineEdit(ExportDialogForm)
        self.destinationEdit.setObjectName(u"destinationEdit")
        self.destinationEdit.setReadOnly(True)

        self.destinationRow.addWidget(self.destinationEdit)

        self.browseButton = QPushButton(ExportDialogForm)
        self.browseButton.setObjectName(u"browseButton")
        self.browseButton.setAutoDefault(False)

        self.destinationRow.addWidget(self.browseButton)


        self.destinationLayout.setLayout(0, QFormLayout.ItemRole.FieldRole, self.destinationRow)


        self.outerLayout.addLayout(self.destinationLayout)

        self.bottomSpacer = QSpacerItem(10, 8, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.outerLayout.addItem(self.bottomSpacer)

        self.statusLabel = QLabel(ExportDialogForm)
        self.statusLabel.setObjectName(u"statusLabel")
        self.statusLabel.setWordWrap(True)
        self.statusLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.outerLayout.addWidget(self.statusLabel)

        self.progressBar = QProgressBar(ExportDialogForm)
        self.progressBar.setObjectName(u"progressBar")
        self.progressBar.setValue(0)

        self.outerLayout.addWidget(self.progressBar)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setObjectName(u"buttonRow")
        self.buttonSpacer = QSpacerItem(40, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonRow.addItem(self.buttonSpacer)

        self.exportButton = QPushButton(ExportDialogForm)
        self.exportButton.setObjectName(u"exportButton")

        self.buttonRow.addWidget(self.exportButton)

        self.cancelButton = QPushButton(ExportDialogForm)
        self.cancelButton.setObjectName(u"cancelButton")
        self.cancelButton.setAutoDefault(False)

        self.buttonRow.addWidget(self.cancelButton)


        self.outerLayout.addLayout(self.buttonRow)

#if QT_CONFIG(shortcut)
        self.teamLabel.setBuddy(self.teamCombo)
        self.workerLabel.setBuddy(self.workerCombo)
        self.passwordLabel.setBuddy(self.passwordEdit)
        self.confirmLabel.setBuddy(self.confirmEdit)
        self.destinationLabel.setBuddy(self.browseButton)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.fromCheck, self.fromDateEdit)
        QWidget.setTabOrder(self.fromDateEdit, self.toCheck)
        QWidget.setTabOrder(self.toCheck, self.toDateEdit)
        QWidget.setTabOrder(self.toDateEdit, self.teamCombo)
        QWidget.setTabOrder(self.teamCombo, self.workerCombo)
        QWidget.setTabOrder(self.workerCombo, self.pseudonymiseCheck)
        QWidget.setTabOrder(self.pseudonymiseCheck, self.encryptCheck)
        QWidget.setTabOrder(self.encryptCheck, self.passwordEdit)
        QWidget.setTabOrder(self.passwordEdit, self.confirmEdit)
        QWidget.setTabOrder(self.confirmEdit, self.destinationEdit)
        QWidget.setTabOrder(self.destinationEdit, self.browseButton)
        QWidget.setTabOrder(self.browseButton, self.exportButton)
        QWidget.setTabOrder(self.exportButton, self.cancelButton)

        self.retranslateUi(ExportDialogForm)

        self.exportButton.setDefault(True)

    # setupUi

    def retranslateUi(self, ExportDialogForm):
        ExportDialogForm.setWindowTitle(QCoreApplication.translate("ExportDialogForm", u"Export to Excel", None))
#if QT_CONFIG(accessibility)
        ExportDialogForm.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"Export to Excel", None))
#endif // QT_CONFIG(accessibility)
        self.introLabel.setText(QCoreApplication.translate("ExportDialogForm", u"A workbook of the screenings you may see, for managers, the safeguarding board and inspections. It is written in one go when you press Export; the export is recorded in the audit log.", None))
#if QT_CONFIG(accessibility)
        self.introLabel.setAccessibleDescription(QCoreApplication.translate("ExportDialogForm", u"About this export", None))
#endif // QT_CONFIG(accessibility)
        self.datesLabel.setText(QCoreApplication.translate("ExportDialogForm", u"Screen dates:", None))
        self.fromCheck.setText(QCoreApplication.translate("ExportDialogForm", u"&From", None))
#if QT_CONFIG(accessibility)
        self.fromCheck.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"Limit to screenings from a date", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.fromDateEdit.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"First screen date", None))
#endif // QT_CONFIG(accessibility)
        self.fromDateEdit.setDisplayFormat(QCoreApplication.translate("ExportDialogForm", u"dd/MM/yyyy", None))
        self.toCheck.setText(QCoreApplication.translate("ExportDialogForm", u"Un&til", None))
#if QT_CONFIG(accessibility)
        self.toCheck.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"Limit to screenings up to a date", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.toDateEdit.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"Last screen date", None))
#endif // QT_CONFIG(accessibility)
        self.toDateEdit.setDisplayFormat(QCoreApplication.translate("ExportDialogForm", u"dd/MM/yyyy", None))
        self.teamLabel.setText(QCoreApplication.translate("ExportDialogForm", u"Te&am:", None))
#if QT_CONFIG(accessibility)
        self.teamCombo.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"Team", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.teamCombo.setToolTip(QCoreApplication.translate("ExportDialogForm", u"Only children allocated to this team", None))
#endif // QT_CONFIG(tooltip)
        self.workerLabel.setText(QCoreApplication.translate("ExportDialogForm", u"&Worker:", None))
#if QT_CONFIG(accessibility)
        self.workerCombo.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"Worker", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.workerCombo.setToolTip(QCoreApplication.translate("ExportDialogForm", u"Only children allocated to this social worker", None))
#endif // QT_CONFIG(tooltip)
        self.pseudonymiseCheck.setText(QCoreApplication.translate("ExportDialogForm", u"&Pseudonymise", None))
#if QT_CONFIG(accessibility)
        self.pseudonymiseCheck.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"Pseudonymise the export", None))
#endif // QT_CONFIG(accessibility)
        self.pseudonymiseNote.setText(QCoreApplication.translate("ExportDialogForm", u"Leaves out names, case references, dates of birth and evidence notes; children and staff get codes that only this file uses, ages become age bands, and counts under 5 are hidden. Untick only for people who may see who the children are.", None))
#if QT_CONFIG(accessibility)
        self.pseudonymiseNote.setAccessibleDescription(QCoreApplication.translate("ExportDialogForm", u"What pseudonymising removes", None))
#endif // QT_CONFIG(accessibility)
        self.encryptCheck.setText(QCoreApplication.translate("ExportDialogForm", u"&Encrypt the file with a password", None))
#if QT_CONFIG(accessibility)
        self.encryptCheck.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"Encrypt the file with a password", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.encryptCheck.setToolTip(QCoreApplication.translate("ExportDialogForm", u"Excel asks for the password when the file is opened", None))
#endif // QT_CONFIG(tooltip)
        self.passwordLabel.setText(QCoreApplication.translate("ExportDialogForm", u"Pa&ssword:", None))
#if QT_CONFIG(accessibility)
        self.passwordEdit.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"Export password", None))
#endif // QT_CONFIG(accessibility)
        self.confirmLabel.setText(QCoreApplication.translate("ExportDialogForm", u"Confir&m:", None))
#if QT_CONFIG(accessibility)
        self.confirmEdit.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"Export password again", None))
#endif // QT_CONFIG(accessibility)
        self.strengthLabel.setText("")
#if QT_CONFIG(accessibility)
        self.strengthLabel.setAccessibleDescription(QCoreApplication.translate("ExportDialogForm", u"Password check", None))
#endif // QT_CONFIG(accessibility)
        self.destinationLabel.setText(QCoreApplication.translate("ExportDialogForm", u"Sa&ve as:", None))
        self.destinationEdit.setPlaceholderText(QCoreApplication.translate("ExportDialogForm", u"Choose where to save the .xlsx file", None))
#if QT_CONFIG(accessibility)
        self.destinationEdit.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"Export file", None))
#endif // QT_CONFIG(accessibility)
        self.browseButton.setText(QCoreApplication.translate("ExportDialogForm", u"C&hoose\u2026", None))
#if QT_CONFIG(accessibility)
        self.browseButton.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"Choose where to save the export", None))
#endif // QT_CONFIG(accessibility)
        self.statusLabel.setText("")
#if QT_CONFIG(accessibility)
        self.statusLabel.setAccessibleDescription(QCoreApplication.translate("ExportDialogForm", u"Export status", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.progressBar.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"Export progress", None))
#endif // QT_CONFIG(accessibility)
        self.exportButton.setText(QCoreApplication.translate("ExportDialogForm", u"E&xport", None))
#if QT_CONFIG(accessibility)
        self.exportButton.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"Export now", None))
#endif // QT_CONFIG(accessibility)
        self.cancelButton.setText(QCoreApplication.translate("ExportDialogForm", u"Close", None))
#if QT_CONFIG(accessibility)
        self.cancelButton.setAccessibleName(QCoreApplication.translate("ExportDialogForm", u"Close this dialog", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

