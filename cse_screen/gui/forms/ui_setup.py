# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'setup.ui'
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

class Ui_SetupForm(object):
    def setupUi(self, SetupForm):
        if not SetupForm.objectName():
            SetupForm.setObjectName(u"SetupForm")
        SetupForm.resize(640, 620)
        self.outerLayout = QVBoxLayout(SetupForm)
        self.outerLayout.setObjectName(u"outerLayout")
        self.topSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.outerLayout.addItem(self.topSpacer)

        self.centerRow = QHBoxLayout()
        self.centerRow.setObjectName(u"centerRow")
        self.leftSpacer = QSpacerItem(10, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.centerRow.addItem(self.leftSpacer)

        self.setupPanel = QFrame(SetupForm)
        self.setupPanel.setObjectName(u"setupPanel")
        self.setupPanel.setMinimumSize(QSize(580, 0))
        self.setupPanel.setMaximumSize(QSize(580, 16777215))
        self.panelLayout = QVBoxLayout(self.setupPanel)
        self.panelLayout.setSpacing(10)
        self.panelLayout.setObjectName(u"panelLayout")
        self.titleLabel = QLabel(self.setupPanel)
        self.titleLabel.setObjectName(u"titleLabel")

        self.panelLayout.addWidget(self.titleLabel)

        self.introLabel = QLabel(self.setupPanel)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.panelLayout.addWidget(self.introLabel)

        self.setupFormLayout = QFormLayout()
        self.setupFormLayout.setObjectName(u"setupFormLayout")
        self.fullNameLabel = QLabel(self.setupPanel)
        self.fullNameLabel.setObjectName(u"fullNameLabel")

        self.setupFormLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.fullNameLabel)

        self.fullNameEdit = QLineEdit(self.setupPanel)
        self.fullNameEdit.setObjectName(u"fullNameEdit")
        self.fullNameEdit.setMaxLength(120)

        self.setupFormLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.fullNameEdit)

        self.userLabel = QLabel(self.setupPanel)
        self.userLabel.setObjectName(u"userLabel")

        self.setupFormLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.userLabel)

        self.userEdit = QLineEdit(self.setupPanel)
        self.userEdit.setObjectName(u"userEdit")
        self.userEdit.setMaxLength(64)

        self.setupFormLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.userEdit)

        self.passwordLabel = QLabel(self.setupPanel)
        self.passwordLabel.setObjectName(u"passwordLabel")

        self.setupFormLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.passwordLabel)

        self.passwordEdit = QLineEdit(self.setupPanel)
        self.passwordEdit.setObjectName(u"passwordEdit")
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.setupFormLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.passwordEdit)

        self.strengthRow = QHBoxLayout()
        self.strengthRow.setObjectName(u"strengthRow")
        self.strengthBar = QProgressBar(self.setupPanel)
        self.strengthBar.setObjectName(u"strengthBar")
        self.strengthBar.setMaximum(4)
        self.strengthBar.setValue(0)
        self.strengthBar.setTextVisible(False)

        self.strengthRow.addWidget(self.strengthBar)

        self.strengthLabel = QLabel(self.setupPanel)
        self.strengthLabel.setObjectName(u"strengthLabel")

        self.strengthRow.addWidget(self.strengthLabel)


        self.setupFormLayout.setLayout(3, QFormLayout.ItemRole.FieldRole, self.strengthRow)

        self.confirmLabel = QLabel(self.setupPanel)
        self.confirmLabel.setObjectName(u"confirmLabel")

        self.setupFormLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.confirmLabel)

        self.confirmEdit = QLineEdit(self.setupPanel)
        self.confirmEdit.setObjectName(u"confirmEdit")
        self.confirmEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.setupFormLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.confirmEdit)

        self.recoveryLabel = QLabel(self.setupPanel)
        self.recoveryLabel.setObjectName(u"recoveryLabel")

        self.setupFormLayout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.recoveryLabel)

        self.recoveryRow = QHBoxLayout()
        self.recoveryRow.setObjectName(u"recoveryRow")
        self.recoveryKeyEdit = QLineEdit(self.setupPanel)
        self.recoveryKeyEdit.setObjectName(u"recoveryKeyEdit")
        self.recoveryKeyEdit.setReadOnly(True)

        self.recoveryRow.addWidget(self.recoveryKeyEdit)

        self.recoveryBrowseButton = QPushButton(self.setupPanel)
        self.recoveryBrowseButton.setObjectName(u"recoveryBrowseButton")
        self.recoveryBrowseButton.setAutoDefault(False)

        self.recoveryRow.addWidget(self.recoveryBrowseButton)

        self.recoveryClearButton = QPushButton(self.setupPanel)
        self.recoveryClearButton.setObjectName(u"recoveryClearButton")
        self.recoveryClearButton.setAutoDefault(False)

        self.recoveryRow.addWidget(self.recoveryClearButton)


        self.setupFormLayout.setLayout(5, QFormLayout.ItemRole.FieldRole, self.recoveryRow)


        self.panelLayout.addLayout(self.setupFormLayout)

        self.messageLabel = QLabel(self.setupPanel)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.panelLayout.addWidget(self.messageLabel)

        self.busyBar = QProgressBar(self.setupPanel)
        self.busyBar.setObjectName(u"busyBar")
        self.busyBar.setMaximum(0)
        self.busyBar.setTextVisible(False)

        self.panelLayout.addWidget(self.busyBar)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setObjectName(u"buttonRow")
        self.databaseLabel = QLabel(self.setupPanel)
        self.databaseLabel.setObjectName(u"databaseLabel")
        self.databaseLabel.setWordWrap(True)

        self.buttonRow.addWidget(self.databaseLabel)

        self.createButton = QPushButton(self.setupPanel)
        self.createButton.setObjectName(u"createButton")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.createButton.sizePolicy().hasHeightForWidth())
        self.createButton.setSizePolicy(sizePolicy)

        self.buttonRow.addWidget(self.createButton)


        self.panelLayout.addLayout(self.buttonRow)


        self.centerRow.addWidget(self.setupPanel)

        self.rightSpacer = QSpacerItem(10, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.centerRow.addItem(self.rightSpacer)


        self.outerLayout.addLayout(self.centerRow)

        self.bottomSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.outerLayout.addItem(self.bottomSpacer)

#if QT_CONFIG(shortcut)
        self.fullNameLabel.setBuddy(self.fullNameEdit)
        self.userLabel.setBuddy(self.userEdit)
        self.passwordLabel.setBuddy(self.passwordEdit)
        self.confirmLabel.setBuddy(self.confirmEdit)
        self.recoveryLabel.setBuddy(self.recoveryBrowseButton)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.fullNameEdit, self.userEdit)
        QWidget.setTabOrder(self.userEdit, self.passwordEdit)
        QWidget.setTabOrder(self.passwordEdit, self.confirmEdit)
        QWidget.setTabOrder(self.confirmEdit, self.recoveryBrowseButton)
        QWidget.setTabOrder(self.recoveryBrowseButton, self.recoveryClearButton)
        QWidget.setTabOrder(self.recoveryClearButton, self.createButton)

        self.retranslateUi(SetupForm)

        self.createButton.setDefault(True)

    # setupUi

    def retranslateUi(self, SetupForm):
        SetupForm.setWindowTitle(QCoreApplication.translate("SetupForm", u"cse-screen", None))
#if QT_CONFIG(accessibility)
        SetupForm.setAccessibleName(QCoreApplication.translate("SetupForm", u"Set up cse-screen", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.setupPanel.setAccessibleName(QCoreApplication.translate("SetupForm", u"Set up", None))
#endif // QT_CONFIG(accessibility)
        self.titleLabel.setText(QCoreApplication.translate("SetupForm", u"Set up cse-screen", None))
        self.introLabel.setText(QCoreApplication.translate("SetupForm", u"This creates the encrypted database on this computer and its first user, who manages the other users. The password unlocks the database: nobody can read it without a password or IT's recovery key.", None))
#if QT_CONFIG(accessibility)
        self.introLabel.setAccessibleDescription(QCoreApplication.translate("SetupForm", u"What set-up does", None))
#endif // QT_CONFIG(accessibility)
        self.fullNameLabel.setText(QCoreApplication.translate("SetupForm", u"&Your full name", None))
#if QT_CONFIG(accessibility)
        self.fullNameEdit.setAccessibleName(QCoreApplication.translate("SetupForm", u"Your full name", None))
#endif // QT_CONFIG(accessibility)
        self.userLabel.setText(QCoreApplication.translate("SetupForm", u"&User name", None))
#if QT_CONFIG(accessibility)
        self.userEdit.setAccessibleName(QCoreApplication.translate("SetupForm", u"User name", None))
#endif // QT_CONFIG(accessibility)
        self.userEdit.setPlaceholderText(QCoreApplication.translate("SetupForm", u"for example jsmith", None))
        self.passwordLabel.setText(QCoreApplication.translate("SetupForm", u"&Password", None))
#if QT_CONFIG(accessibility)
        self.passwordEdit.setAccessibleName(QCoreApplication.translate("SetupForm", u"Password", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.strengthBar.setAccessibleName(QCoreApplication.translate("SetupForm", u"Password strength", None))
#endif // QT_CONFIG(accessibility)
        self.strengthLabel.setText("")
#if QT_CONFIG(accessibility)
        self.strengthLabel.setAccessibleDescription(QCoreApplication.translate("SetupForm", u"Password strength in words", None))
#endif // QT_CONFIG(accessibility)
        self.confirmLabel.setText(QCoreApplication.translate("SetupForm", u"&Repeat password", None))
#if QT_CONFIG(accessibility)
        self.confirmEdit.setAccessibleName(QCoreApplication.translate("SetupForm", u"Repeat password", None))
#endif // QT_CONFIG(accessibility)
        self.recoveryLabel.setText(QCoreApplication.translate("SetupForm", u"IT recovery &key", None))
#if QT_CONFIG(accessibility)
        self.recoveryKeyEdit.setAccessibleName(QCoreApplication.translate("SetupForm", u"IT recovery public key file", None))
#endif // QT_CONFIG(accessibility)
        self.recoveryKeyEdit.setPlaceholderText(QCoreApplication.translate("SetupForm", u"optional: a public key file from IT", None))
        self.recoveryBrowseButton.setText(QCoreApplication.translate("SetupForm", u"Choose\u2026", None))
#if QT_CONFIG(accessibility)
        self.recoveryBrowseButton.setAccessibleName(QCoreApplication.translate("SetupForm", u"Choose IT recovery key file", None))
#endif // QT_CONFIG(accessibility)
        self.recoveryClearButton.setText(QCoreApplication.translate("SetupForm", u"Clear", None))
#if QT_CONFIG(accessibility)
        self.recoveryClearButton.setAccessibleName(QCoreApplication.translate("SetupForm", u"Clear IT recovery key file", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleDescription(QCoreApplication.translate("SetupForm", u"Message", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.busyBar.setAccessibleName(QCoreApplication.translate("SetupForm", u"Creating the database", None))
#endif // QT_CONFIG(accessibility)
        self.databaseLabel.setText("")
#if QT_CONFIG(accessibility)
        self.databaseLabel.setAccessibleDescription(QCoreApplication.translate("SetupForm", u"Database file", None))
#endif // QT_CONFIG(accessibility)
        self.createButton.setText(QCoreApplication.translate("SetupForm", u"&Create database", None))
#if QT_CONFIG(accessibility)
        self.createButton.setAccessibleName(QCoreApplication.translate("SetupForm", u"Create database", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

