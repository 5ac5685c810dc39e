# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'child_dialog.ui'
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
    QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QSizePolicy, QSpacerItem, QVBoxLayout, QWidget)

class Ui_ChildDialogForm(object):
    def setupUi(self, ChildDialogForm):
        if not ChildDialogForm.objectName():
            ChildDialogForm.setObjectName(u"ChildDialogForm")
        ChildDialogForm.resize(480, 440)
        ChildDialogForm.setModal(True)
        self.outerLayout = QVBoxLayout(ChildDialogForm)
        self.outerLayout.setObjectName(u"outerLayout")
        self.introLabel = QLabel(ChildDialogForm)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.outerLayout.addWidget(self.introLabel)

        self.fieldsLayout = QFormLayout()
        self.fieldsLayout.setObjectName(u"fieldsLayout")
        self.fieldsLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.caseRefLabel = QLabel(ChildDialogForm)
        self.caseRefLabel.setObjectName(u"caseRefLabel")

        self.fieldsLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.caseRefLabel)

        self.caseRefEdit = QLineEdit(ChildDialogForm)
        self.caseRefEdit.setObjectName(u"caseRefEdit")
        self.caseRefEdit.setMaxLength(120)

        self.fieldsLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.caseRefEdit)

        self.nameLabel = QLabel(ChildDialogForm)
        self.nameLabel.setObjectName(u"nameLabel")

        self.fieldsLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.nameLabel)

        self.nameEdit = QLineEdit(ChildDialogForm)
        self.nameEdit.setObjectName(u"nameEdit")
        self.nameEdit.setMaxLength(120)

        self.fieldsLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.nameEdit)

        self.dobLabel = QLabel(ChildDialogForm)
        self.dobLabel.setObjectName(u"dobLabel")

        self.fieldsLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.dobLabel)

        self.dobEdit = QLineEdit(ChildDialogForm)
        self.dobEdit.setObjectName(u"dobEdit")
        self.dobEdit.setMaxLength(10)

        self.fieldsLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.dobEdit)

        self.genderLabel = QLabel(ChildDialogForm)
        self.genderLabel.setObjectName(u"genderLabel")

        self.fieldsLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.genderLabel)

        self.genderCombo = QComboBox(ChildDialogForm)
        self.genderCombo.setObjectName(u"genderCombo")
        self.genderCombo.setEditable(False)

        self.fieldsLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.genderCombo)

        self.ethnicityLabel = QLabel(ChildDialogForm)
        self.ethnicityLabel.setObjectName(u"ethnicityLabel")

        self.fieldsLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.ethnicityLabel)

        self.ethnicityCombo = QComboBox(ChildDialogForm)
        self.ethnicityCombo.setObjectName(u"ethnicityCombo")
        self.ethnicityCombo.setEditable(False)

        self.fieldsLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.ethnicityCombo)

        self.disabilityLabel = QLabel(ChildDialogForm)
        self.disabilityLabel.setObjectName(u"disabilityLabel")

        self.fieldsLayout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.disabilityLabel)

        self.disabilityCombo = QComboBox(ChildDialogForm)
        self.disabilityCombo.setObjectName(u"disabilityCombo")
        self.disabilityCombo.setEditable(False)

        self.fieldsLayout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.disabilityCombo)

        self.placementLabel = QLabel(ChildDialogForm)
        self.placementLabel.setObjectName(u"placementLabel")

        self.fieldsLayout.setWidget(6, QFormLayout.ItemRole.LabelRole, self.placementLabel)

        self.placementCombo = QComboBox(ChildDialogForm)
        self.placementCombo.setObjectName(u"placementCombo")
        self.placementCombo.setEditable(False)

        self.fieldsLayout.setWidget(6, QFormLayout.ItemRole.FieldRole, self.placementCombo)

        self.legalStatusLabel = QLabel(ChildDialogForm)
        self.legalStatusLabel.setObjectName(u"legalStatusLabel")

        self.fieldsLayout.setWidget(7, QFormLayout.ItemRole.LabelRole, self.legalStatusLabel)

        self.legalStatusCombo = QComboBox(ChildDialogForm)
        self.legalStatusCombo.setObjectName(u"legalStatusCombo")
        self.legalStatusCombo.setEditable(False)

        self.fieldsLayout.setWidget(7, QFormLayout.ItemRole.FieldRole, self.legalStatusCombo)

        self.workerLabel = QLabel(ChildDialogForm)
        self.workerLabel.setObjectName(u"workerLabel")

        self.fieldsLayout.setWidget(8, QFormLayout.ItemRole.LabelRole, self.workerLabel)

        self.workerCombo = QComboBox(ChildDialogForm)
        self.workerCombo.setObjectName(u"workerCombo")
        self.workerCombo.setEditable(True)
        self.workerCombo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)

        self.fieldsLayout.setWidget(8, QFormLayout.ItemRole.FieldRole, self.workerCombo)

        self.teamLabel = QLabel(ChildDialogForm)
        self.teamLabel.setObjectName(u"teamLabel")

        self.fieldsLayout.setWidget(9, QFormLayout.ItemRole.LabelRole, self.teamLabel)

        self.teamCombo = QComboBox(ChildDialogForm)
        self.teamCombo.setObjectName(u"teamCombo")
        self.teamCombo.setEditable(True)
        self.teamCombo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)

        self.fieldsLayout.setWidget(9, QFormLayout.ItemRole.FieldRole, self.teamCombo)


        self.outerLayout.addLayout(self.fieldsLayout)

        self.errorLabel = QLabel(ChildDialogForm)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.outerLayout.addWidget(self.errorLabel)

        self.bottomSpacer = QSpacerItem(20, 8, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.outerLayout.addItem(self.bottomSpacer)

        self.buttonBox = QDialogButtonBox(ChildDialogForm)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.outerLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.caseRefLabel.setBuddy(self.caseRefEdit)
        self.nameLabel.setBuddy(self.nameEdit)
        self.dobLabel.setBuddy(self.dobEdit)
        self.genderLabel.setBuddy(self.genderCombo)
        self.ethnicityLabel.setBuddy(self.ethnicityCombo)
        self.disabilityLabel.setBuddy(self.disabilityCombo)
        self.placementLabel.setBuddy(self.placementCombo)
        self.legalStatusLabel.setBuddy(self.legalStatusCombo)
        self.workerLabel.setBuddy(self.workerCombo)
        self.teamLabel.setBuddy(self.teamCombo)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.caseRefEdit, self.nameEdit)
        QWidget.setTabOrder(self.nameEdit, self.dobEdit)
        QWidget.setTabOrder(self.dobEdit, self.genderCombo)
        QWidget.setTabOrder(self.genderCombo, self.ethnicityCombo)
        QWidget.setTabOrder(self.ethnicityCombo, self.disabilityCombo)
        QWidget.setTabOrder(self.disabilityCombo, self.placementCombo)
        QWidget.setTabOrder(self.placementCombo, self.legalStatusCombo)
        QWidget.setTabOrder(self.legalStatusCombo, self.workerCombo)
        QWidget.setTabOrder(self.workerCombo, self.teamCombo)
        QWidget.setTabOrder(self.teamCombo, self.buttonBox)

        self.retranslateUi(ChildDialogForm)
    # setupUi

    def retranslateUi(self, ChildDialogForm):
        ChildDialogForm.setWindowTitle(QCoreApplication.translate("ChildDialogForm", u"Child details", None))
#if QT_CONFIG(accessibility)
        ChildDialogForm.setAccessibleName(QCoreApplication.translate("ChildDialogForm", u"Child details", None))
#endif // QT_CONFIG(accessibility)
        self.introLabel.setText(QCoreApplication.translate("ChildDialogForm", u"Fields marked * are required. The case reference must be unique. Choices are made from their lists: a detail that is not listed is left blank, never typed.", None))
        self.caseRefLabel.setText(QCoreApplication.translate("ChildDialogForm", u"Case &reference: *", None))
#if QT_CONFIG(accessibility)
        self.caseRefEdit.setAccessibleName(QCoreApplication.translate("ChildDialogForm", u"Case reference", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.caseRefEdit.setToolTip(QCoreApplication.translate("ChildDialogForm", u"The council's case ID, e.g. LAC0042", None))
#endif // QT_CONFIG(tooltip)
        self.nameLabel.setText(QCoreApplication.translate("ChildDialogForm", u"&Name: *", None))
#if QT_CONFIG(accessibility)
        self.nameEdit.setAccessibleName(QCoreApplication.translate("ChildDialogForm", u"Child's name", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.nameEdit.setToolTip(QCoreApplication.translate("ChildDialogForm", u"Shown inside the app only, never in a window title", None))
#endif // QT_CONFIG(tooltip)
        self.dobLabel.setText(QCoreApplication.translate("ChildDialogForm", u"&Date of birth: *", None))
#if QT_CONFIG(accessibility)
        self.dobEdit.setAccessibleName(QCoreApplication.translate("ChildDialogForm", u"Date of birth", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.dobEdit.setToolTip(QCoreApplication.translate("ChildDialogForm", u"Day, month and year, e.g. 04/03/2012. Age decides the under-13 floor", None))
#endif // QT_CONFIG(tooltip)
        self.dobEdit.setPlaceholderText(QCoreApplication.translate("ChildDialogForm", u"dd/mm/yyyy", None))
        self.genderLabel.setText(QCoreApplication.translate("ChildDialogForm", u"&Gender:", None))
#if QT_CONFIG(accessibility)
        self.genderCombo.setAccessibleName(QCoreApplication.translate("ChildDialogForm", u"Gender", None))
#endif // QT_CONFIG(accessibility)
        self.ethnicityLabel.setText(QCoreApplication.translate("ChildDialogForm", u"&Ethnicity:", None))
#if QT_CONFIG(accessibility)
        self.ethnicityCombo.setAccessibleName(QCoreApplication.translate("ChildDialogForm", u"Ethnicity", None))
#endif // QT_CONFIG(accessibility)
        self.disabilityLabel.setText(QCoreApplication.translate("ChildDialogForm", u"Disa&bility:", None))
#if QT_CONFIG(accessibility)
        self.disabilityCombo.setAccessibleName(QCoreApplication.translate("ChildDialogForm", u"Disability", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.disabilityCombo.setToolTip(QCoreApplication.translate("ChildDialogForm", u"A learning disability raises the outcome floor", None))
#endif // QT_CONFIG(tooltip)
        self.placementLabel.setText(QCoreApplication.translate("ChildDialogForm", u"&Placement type:", None))
#if QT_CONFIG(accessibility)
        self.placementCombo.setAccessibleName(QCoreApplication.translate("ChildDialogForm", u"Placement type", None))
#endif // QT_CONFIG(accessibility)
        self.legalStatusLabel.setText(QCoreApplication.translate("ChildDialogForm", u"&Legal status:", None))
#if QT_CONFIG(accessibility)
        self.legalStatusCombo.setAccessibleName(QCoreApplication.translate("ChildDialogForm", u"Legal status", None))
#endif // QT_CONFIG(accessibility)
        self.workerLabel.setText(QCoreApplication.translate("ChildDialogForm", u"Allocated &worker:", None))
#if QT_CONFIG(accessibility)
        self.workerCombo.setAccessibleName(QCoreApplication.translate("ChildDialogForm", u"Allocated worker", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.workerCombo.setToolTip(QCoreApplication.translate("ChildDialogForm", u"User name of the allocated social worker", None))
#endif // QT_CONFIG(tooltip)
        self.teamLabel.setText(QCoreApplication.translate("ChildDialogForm", u"&Team:", None))
#if QT_CONFIG(accessibility)
        self.teamCombo.setAccessibleName(QCoreApplication.translate("ChildDialogForm", u"Team", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.errorLabel.setAccessibleDescription(QCoreApplication.translate("ChildDialogForm", u"Problem with the details", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

