# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'settings.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog,
    QDialogButtonBox, QFormLayout, QLabel, QSizePolicy,
    QSpacerItem, QSpinBox, QVBoxLayout, QWidget)

class Ui_SettingsDialog(object):
    def setupUi(self, SettingsDialog):
        if not SettingsDialog.objectName():
            SettingsDialog.setObjectName(u"SettingsDialog")
        SettingsDialog.resize(520, 300)
        self.settingsLayout = QVBoxLayout(SettingsDialog)
        self.settingsLayout.setObjectName(u"settingsLayout")
        self.settingsForm = QFormLayout()
        self.settingsForm.setObjectName(u"settingsForm")
        self.idleLabel = QLabel(SettingsDialog)
        self.idleLabel.setObjectName(u"idleLabel")

        self.settingsForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.idleLabel)

        self.idleMinutesSpin = QSpinBox(SettingsDialog)
        self.idleMinutesSpin.setObjectName(u"idleMinutesSpin")
        self.idleMinutesSpin.setMinimum(1)
        self.idleMinutesSpin.setMaximum(60)
        self.idleMinutesSpin.setValue(5)

        self.settingsForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.idleMinutesSpin)

        self.idleHelpLabel = QLabel(SettingsDialog)
        self.idleHelpLabel.setObjectName(u"idleHelpLabel")
        self.idleHelpLabel.setWordWrap(True)

        self.settingsForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.idleHelpLabel)

        self.filterLabel = QLabel(SettingsDialog)
        self.filterLabel.setObjectName(u"filterLabel")

        self.settingsForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.filterLabel)

        self.filterCombo = QComboBox(SettingsDialog)
        self.filterCombo.addItem("")
        self.filterCombo.addItem("")
        self.filterCombo.setObjectName(u"filterCombo")

        self.settingsForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.filterCombo)

        self.themeLabel = QLabel(SettingsDialog)
        self.themeLabel.setObjectName(u"themeLabel")

        self.settingsForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.themeLabel)

        self.themeCombo = QComboBox(SettingsDialog)
        self.themeCombo.addItem("")
        self.themeCombo.addItem("")
        self.themeCombo.addItem("")
        self.themeCombo.setObjectName(u"themeCombo")

        self.settingsForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.themeCombo)


        self.settingsLayout.addLayout(self.settingsForm)

        self.lockedNoteLabel = QLabel(SettingsDialog)
        self.lockedNoteLabel.setObjectName(u"lockedNoteLabel")
        self.lockedNoteLabel.setVisible(False)
        self.lockedNoteLabel.setWordWrap(True)

        self.settingsLayout.addWidget(self.lockedNoteLabel)

        self.settingsSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.settingsLayout.addItem(self.settingsSpacer)

        self.buttonBox = QDialogButtonBox(SettingsDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.settingsLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.idleLabel.setBuddy(self.idleMinutesSpin)
        self.filterLabel.setBuddy(self.filterCombo)
        self.themeLabel.setBuddy(self.themeCombo)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.idleMinutesSpin, self.filterCombo)
        QWidget.setTabOrder(self.filterCombo, self.themeCombo)
        QWidget.setTabOrder(self.themeCombo, self.buttonBox)

        self.retranslateUi(SettingsDialog)
        self.buttonBox.accepted.connect(SettingsDialog.accept)
        self.buttonBox.rejected.connect(SettingsDialog.reject)
    # setupUi

    def retranslateUi(self, SettingsDialog):
        SettingsDialog.setWindowTitle(QCoreApplication.translate("SettingsDialog", u"Settings", None))
#if QT_CONFIG(accessibility)
        SettingsDialog.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Settings", None))
#endif // QT_CONFIG(accessibility)
        self.idleLabel.setText(QCoreApplication.translate("SettingsDialog", u"&Lock after", None))
#if QT_CONFIG(accessibility)
        self.idleMinutesSpin.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Lock after this many idle minutes", None))
#endif // QT_CONFIG(accessibility)
        self.idleMinutesSpin.setSuffix(QCoreApplication.translate("SettingsDialog", u" minutes without use", None))
        self.idleHelpLabel.setText(QCoreApplication.translate("SettingsDialog", u"\"Without use\" means no typing, clicking or scrolling in cse-screen. Press Ctrl+L to lock at any time, or Ctrl+Shift+H to lock and hide the window at once.", None))
#if QT_CONFIG(accessibility)
        self.idleHelpLabel.setAccessibleDescription(QCoreApplication.translate("SettingsDialog", u"What idle means", None))
#endif // QT_CONFIG(accessibility)
        self.filterLabel.setText(QCoreApplication.translate("SettingsDialog", u"&Children register shows", None))
        self.filterCombo.setItemText(0, QCoreApplication.translate("SettingsDialog", u"My caseload", None))
        self.filterCombo.setItemText(1, QCoreApplication.translate("SettingsDialog", u"My team's children", None))

#if QT_CONFIG(accessibility)
        self.filterCombo.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Children the register shows at first", None))
#endif // QT_CONFIG(accessibility)
        self.themeLabel.setText(QCoreApplication.translate("SettingsDialog", u"&Appearance", None))
        self.themeCombo.setItemText(0, QCoreApplication.translate("SettingsDialog", u"Follow the system", None))
        self.themeCombo.setItemText(1, QCoreApplication.translate("SettingsDialog", u"Light", None))
        self.themeCombo.setItemText(2, QCoreApplication.translate("SettingsDialog", u"Dark", None))

#if QT_CONFIG(accessibility)
        self.themeCombo.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Appearance: light or dark", None))
#endif // QT_CONFIG(accessibility)
        self.lockedNoteLabel.setText(QCoreApplication.translate("SettingsDialog", u"Settings shown greyed out are set by your IT department for this computer.", None))
#if QT_CONFIG(accessibility)
        self.lockedNoteLabel.setAccessibleDescription(QCoreApplication.translate("SettingsDialog", u"Settings set by IT", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.buttonBox.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Save or cancel", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

