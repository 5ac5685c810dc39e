# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'unlock.ui'
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
from PySide6.QtWidgets import (QApplication, QFormLayout, QFrame, QHBoxLayout,
    QLabel, QLineEdit, QProgressBar, QPushButton,
    QSizePolicy, QSpacerItem, QVBoxLayout, QWidget)

class Ui_UnlockForm(object):
    def setupUi(self, UnlockForm):
        if not UnlockForm.objectName():
            UnlockForm.setObjectName(u"UnlockForm")
        UnlockForm.resize(560, 420)
        self.outerLayout = QVBoxLayout(UnlockForm)
        self.outerLayout.setObjectName(u"outerLayout")
        self.topSpacer = QSpacerItem(20, 20, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.outerLayout.addItem(self.topSpacer)

        self.centerRow = QHBoxLayout()
        self.centerRow.setObjectName(u"centerRow")
        self.leftSpacer = QSpacerItem(10, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.centerRow.addItem(self.leftSpacer)

        self.unlockPanel = QFrame(UnlockForm)
        self.unlockPanel.setObjectName(u"unlockPanel")
        self.unlockPanel.setMinimumSize(QSize(440, 0))
        self.unlockPanel.setMaximumSize(QSize(440, 16777215))
        self.panelLayout = QVBoxLayout(self.unlockPanel)
        self.panelLayout.setSpacing(10)
        self.panelLayout.setObjectName(u"panelLayout")
        self.titleLabel = QLabel(self.unlockPanel)
        self.titleLabel.setObjectName(u"titleLabel")

        self.panelLayout.addWidget(self.titleLabel)

        self.introLabel = QLabel(self.unlockPanel)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.panelLayout.addWidget(self.introLabel)

        self.credentialsForm = QFormLayout()
        self.credentialsForm.setObjectName(u"credentialsForm")
        self.userLabel = QLabel(self.unlockPanel)
        self.userLabel.setObjectName(u"userLabel")

        self.credentialsForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.userLabel)

        self.userEdit = QLineEdit(self.unlockPanel)
        self.userEdit.setObjectName(u"userEdit")
        self.userEdit.setMaxLength(64)

        self.credentialsForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.userEdit)

        self.passwordLabel = QLabel(self.unlockPanel)
        self.passwordLabel.setObjectName(u"passwordLabel")

        self.credentialsForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.passwordLabel)

        self.passwordEdit = QLineEdit(self.unlockPanel)
        self.passwordEdit.setObjectName(u"passwordEdit")
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.credentialsForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.passwordEdit)


        self.panelLayout.addLayout(self.credentialsForm)

        self.messageLabel = QLabel(self.unlockPanel)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.panelLayout.addWidget(self.messageLabel)

        self.busyBar = QProgressBar(self.unlockPanel)
        self.busyBar.setObjectName(u"busyBar")
        self.busyBar.setMaximum(0)
        self.busyBar.setTextVisible(False)

        self.panelLayout.addWidget(self.busyBar)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setObjectName(u"buttonRow")
        self.databaseLabel = QLabel(self.unlockPanel)
        self.databaseLabel.setObjectName(u"databaseLabel")

        self.buttonRow.addWidget(self.databaseLabel)

        self.buttonSpacer = QSpacerItem(10, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonRow.addItem(self.buttonSpacer)

        self.unlockButton = QPushButton(self.unlockPanel)
        self.unlockButton.setObjectName(u"unlockButton")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.unlockButton.sizePolicy().hasHeightForWidth())
        self.unlockButton.setSizePolicy(sizePolicy)
        self.unlockButton.setAutoDefault(True)

        self.buttonRow.addWidget(self.unlockButton)


        self.panelLayout.addLayout(self.buttonRow)


        self.centerRow.addWidget(self.unlockPanel)

        self.rightSpacer = QSpacerItem(10, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.centerRow.addItem(self.rightSpacer)


        self.outerLayout.addLayout(self.centerRow)

        self.bottomSpacer = QSpacerItem(20, 20, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.outerLayout.addItem(self.bottomSpacer)

#if QT_CONFIG(shortcut)
        self.userLabel.setBuddy(self.userEdit)
        self.passwordLabel.setBuddy(self.passwordEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.userEdit, self.passwordEdit)
        QWidget.setTabOrder(self.passwordEdit, self.unlockButton)

        self.retranslateUi(UnlockForm)

        self.unlockButton.setDefault(True)

    # setupUi

    def retranslateUi(self, UnlockForm):
        UnlockForm.setWindowTitle(QCoreApplication.translate("UnlockForm", u"cse-screen", None))
#if QT_CONFIG(accessibility)
        UnlockForm.setAccessibleName(QCoreApplication.translate("UnlockForm", u"Unlock cse-screen", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.unlockPanel.setAccessibleName(QCoreApplication.translate("UnlockForm", u"Unlock", None))
#endif // QT_CONFIG(accessibility)
        self.titleLabel.setText(QCoreApplication.translate("UnlockForm", u"cse-screen is locked", None))
        self.introLabel.setText(QCoreApplication.translate("UnlockForm", u"Sign in with your user name and password to see the children's records.", None))
#if QT_CONFIG(accessibility)
        self.introLabel.setAccessibleDescription(QCoreApplication.translate("UnlockForm", u"Instructions", None))
#endif // QT_CONFIG(accessibility)
        self.userLabel.setText(QCoreApplication.translate("UnlockForm", u"&User name", None))
#if QT_CONFIG(accessibility)
        self.userEdit.setAccessibleName(QCoreApplication.translate("UnlockForm", u"User name", None))
#endif // QT_CONFIG(accessibility)
        self.passwordLabel.setText(QCoreApplication.translate("UnlockForm", u"&Password", None))
#if QT_CONFIG(accessibility)
        self.passwordEdit.setAccessibleName(QCoreApplication.translate("UnlockForm", u"Password", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleDescription(QCoreApplication.translate("UnlockForm", u"Message", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.busyBar.setAccessibleName(QCoreApplication.translate("UnlockForm", u"Checking the password", None))
#endif // QT_CONFIG(accessibility)
        self.databaseLabel.setText("")
#if QT_CONFIG(accessibility)
        self.databaseLabel.setAccessibleDescription(QCoreApplication.translate("UnlockForm", u"Database file", None))
#endif // QT_CONFIG(accessibility)
        self.unlockButton.setText(QCoreApplication.translate("UnlockForm", u"U&nlock", None))
#if QT_CONFIG(accessibility)
        self.unlockButton.setAccessibleName(QCoreApplication.translate("UnlockForm", u"Unlock", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

