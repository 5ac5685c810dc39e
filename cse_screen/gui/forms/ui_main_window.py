# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'main_window.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QAction, QBrush, QColor, QConicalGradient,
    QCursor, QFont, QFontDatabase, QGradient,
    QIcon, QImage, QKeySequence, QLinearGradient,
    QPainter, QPalette, QPixmap, QRadialGradient,
    QTransform)
from PySide6.QtWidgets import (QApplication, QFrame, QHBoxLayout, QLabel,
    QMainWindow, QPushButton, QSizePolicy, QSpacerItem,
    QStackedWidget, QStatusBar, QVBoxLayout, QWidget)

class Ui_MainWindow(object):
    def setupUi(self, MainWindow):
        if not MainWindow.objectName():
            MainWindow.setObjectName(u"MainWindow")
        MainWindow.resize(1200, 760)
        self.actionLock = QAction(MainWindow)
        self.actionLock.setObjectName(u"actionLock")
        self.actionLock.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.actionQuickHide = QAction(MainWindow)
        self.actionQuickHide.setObjectName(u"actionQuickHide")
        self.actionQuickHide.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.actionSettings = QAction(MainWindow)
        self.actionSettings.setObjectName(u"actionSettings")
        self.actionBack = QAction(MainWindow)
        self.actionBack.setObjectName(u"actionBack")
        self.actionShowRegister = QAction(MainWindow)
        self.actionShowRegister.setObjectName(u"actionShowRegister")
        self.actionShowReview = QAction(MainWindow)
        self.actionShowReview.setObjectName(u"actionShowReview")
        self.actionShowUsers = QAction(MainWindow)
        self.actionShowUsers.setObjectName(u"actionShowUsers")
        self.actionShowAudit = QAction(MainWindow)
        self.actionShowAudit.setObjectName(u"actionShowAudit")
        self.actionShowDashboard = QAction(MainWindow)
        self.actionShowDashboard.setObjectName(u"actionShowDashboard")
        self.actionImport = QAction(MainWindow)
        self.actionImport.setObjectName(u"actionImport")
        self.actionExport = QAction(MainWindow)
        self.actionExport.setObjectName(u"actionExport")
        self.actionBackup = QAction(MainWindow)
        self.actionBackup.setObjectName(u"actionBackup")
        self.actionQuit = QAction(MainWindow)
        self.actionQuit.setObjectName(u"actionQuit")
        self.centralWidget = QWidget(MainWindow)
        self.centralWidget.setObjectName(u"centralWidget")
        self.centralLayout = QHBoxLayout(self.centralWidget)
        self.centralLayout.setSpacing(0)
        self.centralLayout.setObjectName(u"centralLayout")
        self.centralLayout.setContentsMargins(0, 0, 0, 0)
        self.sidebar = QFrame(self.centralWidget)
        self.sidebar.setObjectName(u"sidebar")
        self.sidebar.setMinimumSize(QSize(180, 0))
        self.sidebar.setMaximumSize(QSize(220, 16777215))
        self.sidebarLayout = QVBoxLayout(self.sidebar)
        self.sidebarLayout.setSpacing(4)
        self.sidebarLayout.setObjectName(u"sidebarLayout")
        self.appNameLabel = QLabel(self.sidebar)
        self.appNameLabel.setObjectName(u"appNameLabel")

        self.sidebarLayout.addWidget(self.appNameLabel)

        self.userLabel = QLabel(self.sidebar)
        self.userLabel.setObjectName(u"userLabel")
        self.userLabel.setWordWrap(True)

        self.sidebarLayout.addWidget(self.userLabel)

        self.sidebarTopSpacer = QSpacerItem(10, 12, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

        self.sidebarLayout.addItem(self.sidebarTopSpacer)

        self.registerButton = QPushButton(self.sidebar)
        self.registerButton.setObjectName(u"registerButton")
        self.registerButton.setCheckable(True)
        self.registerButton.setChecked(True)
        self.registerButton.setAutoExclusive(True)

        self.sidebarLayout.addWidget(self.registerButton)

        self.reviewButton = QPushButton(self.sidebar)
        self.reviewButton.setObjectName(u"reviewButton")
        self.reviewButton.setCheckable(True)
        self.reviewButton.setAutoExclusive(True)

        self.sidebarLayout.addWidget(self.reviewButton)

        self.usersButton = QPushButton(self.sidebar)
        self.usersButton.setObjectName(u"usersButton")
        self.usersButton.setCheckable(True)
        self.usersButton.setAutoExclusive(True)

        self.sidebarLayout.addWidget(self.usersButton)

        self.auditButton = QPushButton(self.sidebar)
        self.auditButton.setObjectName(u"auditButton")
        self.auditButton.setCheckable(True)
        self.auditButton.setAutoExclusive(True)

        self.sidebarLayout.addWidget(self.auditButton)

        self.dashboardButton = QPushButton(self.sidebar)
        self.dashboardButton.setObjectName(u"dashboardButton")
        self.dashboardButton.setCheckable(True)
        self.dashboardButton.setAutoExclusive(True)

        self.sidebarLayout.addWidget(self.dashboardButton)

        self.sidebarSpacer = QSpacerItem(10, 40, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.sidebarLayout.addItem(self.sidebarSpacer)

        self.importButton = QPushButton(self.sidebar)
        self.importButton.setObjectName(u"importButton")

        self.sidebarLayout.addWidget(self.importButton)

        self.exportButton = QPushButton(self.sidebar)
        self.exportButton.setObjectName(u"exportButton")

        self.sidebarLayout.addWidget(self.exportButton)

        self.backupButton = QPushButton(self.sidebar)
        self.backupButton.setObjectName(u"backupButton")

        self.sidebarLayout.addWidget(self.backupButton)

        self.settingsButton = QPushButton(self.sidebar)
        self.settingsButton.setObjectName(u"settingsButton")

        self.sidebarLayout.addWidget(self.settingsButton)

        self.lockButton = QPushButton(self.sidebar)
        self.lockButton.setObjectName(u"lockButton")

        self.sidebarLayout.addWidget(self.lockButton)


        self.centralLayout.addWidget(self.sidebar)

        self.contentLayout = QVBoxLayout()
        self.contentLayout.setSpacing(4)
        self.contentLayout.setObjectName(u"contentLayout")
        self.contentLayout.setContentsMargins(8, 8, 8, 4)
        self.headerRow = QHBoxLayout()
        self.headerRow.setObjectName(u"headerRow")
        self.backButton = QPushButton(self.centralWidget)
        self.backButton.setObjectName(u"backButton")

        self.headerRow.addWidget(self.backButton)

        self.headerSpacer = QSpacerItem(40, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.headerRow.addItem(self.headerSpacer)


        self.contentLayout.addLayout(self.headerRow)

        self.pageStack = QStackedWidget(self.centralWidget)
        self.pageStack.setObjectName(u"pageStack")
        self.emptyPage = QWidget()
        self.emptyPage.setObjectName(u"emptyPage")
        self.emptyLayout = QVBoxLayout(self.emptyPage)
        self.emptyLayout.setObjectName(u"emptyLayout")
        self.emptyLabel = QLabel(self.emptyPage)
        self.emptyLabel.setObjectName(u"emptyLabel")
        self.emptyLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.emptyLayout.addWidget(self.emptyLabel)

        self.pageStack.addWidget(self.emptyPage)

        self.contentLayout.addWidget(self.pageStack)


        self.centralLayout.addLayout(self.contentLayout)

        MainWindow.setCentralWidget(self.centralWidget)
        self.statusBar = QStatusBar(MainWindow)
        self.statusBar.setObjectName(u"statusBar")
        MainWindow.setStatusBar(self.statusBar)
        QWidget.setTabOrder(self.registerButton, self.reviewButton)
        QWidget.setTabOrder(self.reviewButton, self.usersButton)
        QWidget.setTabOrder(self.usersButton, self.auditButton)
        QWidget.setTabOrder(self.auditButton, self.importButton)
        QWidget.setTabOrder(self.importButton, self.exportButton)
        QWidget.setTabOrder(self.exportButton, self.backupButton)
        QWidget.setTabOrder(self.backupButton, self.settingsButton)
        QWidget.setTabOrder(self.settingsButton, self.lockButton)
        QWidget.setTabOrder(self.lockButton, self.backButton)
        QWidget.setTabOrder(self.backButton, self.pageStack)

        self.retranslateUi(MainWindow)
    # setupUi

    def retranslateUi(self, MainWindow):
        MainWindow.setWindowTitle(QCoreApplication.translate("MainWindow", u"cse-screen", None))
#if QT_CONFIG(accessibility)
        MainWindow.setAccessibleName(QCoreApplication.translate("MainWindow", u"cse-screen", None))
#endif // QT_CONFIG(accessibility)
        self.actionLock.setText(QCoreApplication.translate("MainWindow", u"&Lock", None))
#if QT_CONFIG(shortcut)
        self.actionLock.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+L", None))
#endif // QT_CONFIG(shortcut)
        self.actionQuickHide.setText(QCoreApplication.translate("MainWindow", u"Lock and &hide", None))
#if QT_CONFIG(shortcut)
        self.actionQuickHide.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+Shift+H", None))
#endif // QT_CONFIG(shortcut)
        self.actionSettings.setText(QCoreApplication.translate("MainWindow", u"&Settings", None))
#if QT_CONFIG(shortcut)
        self.actionSettings.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+,", None))
#endif // QT_CONFIG(shortcut)
        self.actionBack.setText(QCoreApplication.translate("MainWindow", u"&Back", None))
#if QT_CONFIG(shortcut)
        self.actionBack.setShortcut(QCoreApplication.translate("MainWindow", u"Alt+Left", None))
#endif // QT_CONFIG(shortcut)
        self.actionShowRegister.setText(QCoreApplication.translate("MainWindow", u"&Children", None))
#if QT_CONFIG(shortcut)
        self.actionShowRegister.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+1", None))
#endif // QT_CONFIG(shortcut)
        self.actionShowReview.setText(QCoreApplication.translate("MainWindow", u"&Review queue", None))
#if QT_CONFIG(shortcut)
        self.actionShowReview.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+2", None))
#endif // QT_CONFIG(shortcut)
        self.actionShowUsers.setText(QCoreApplication.translate("MainWindow", u"Users", None))
#if QT_CONFIG(shortcut)
        self.actionShowUsers.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+3", None))
#endif // QT_CONFIG(shortcut)
        self.actionShowAudit.setText(QCoreApplication.translate("MainWindow", u"Au&dit log", None))
#if QT_CONFIG(shortcut)
        self.actionShowAudit.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+4", None))
#endif // QT_CONFIG(shortcut)
        self.actionShowDashboard.setText(QCoreApplication.translate("MainWindow", u"Dashboard", None))
#if QT_CONFIG(shortcut)
        self.actionShowDashboard.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+5", None))
#endif // QT_CONFIG(shortcut)
        self.actionImport.setText(QCoreApplication.translate("MainWindow", u"&Import children\u2026", None))
#if QT_CONFIG(shortcut)
        self.actionImport.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+I", None))
#endif // QT_CONFIG(shortcut)
        self.actionExport.setText(QCoreApplication.translate("MainWindow", u"E&xport\u2026", None))
#if QT_CONFIG(shortcut)
        self.actionExport.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+E", None))
#endif // QT_CONFIG(shortcut)
        self.actionBackup.setText(QCoreApplication.translate("MainWindow", u"Bac&k up\u2026", None))
        self.actionQuit.setText(QCoreApplication.translate("MainWindow", u"&Quit", None))
#if QT_CONFIG(shortcut)
        self.actionQuit.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+Q", None))
#endif // QT_CONFIG(shortcut)
#if QT_CONFIG(accessibility)
        self.sidebar.setAccessibleName(QCoreApplication.translate("MainWindow", u"Navigation", None))
#endif // QT_CONFIG(accessibility)
        self.appNameLabel.setText(QCoreApplication.translate("MainWindow", u"cse-screen", None))
        self.userLabel.setText("")
#if QT_CONFIG(accessibility)
        self.userLabel.setAccessibleDescription(QCoreApplication.translate("MainWindow", u"Signed in as", None))
#endif // QT_CONFIG(accessibility)
        self.registerButton.setText(QCoreApplication.translate("MainWindow", u"&Children", None))
#if QT_CONFIG(tooltip)
        self.registerButton.setToolTip(QCoreApplication.translate("MainWindow", u"The children register (Ctrl+1)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.registerButton.setAccessibleName(QCoreApplication.translate("MainWindow", u"Children register", None))
#endif // QT_CONFIG(accessibility)
        self.reviewButton.setText(QCoreApplication.translate("MainWindow", u"&Review queue", None))
#if QT_CONFIG(tooltip)
        self.reviewButton.setToolTip(QCoreApplication.translate("MainWindow", u"Screenings waiting for your sign-off (Ctrl+2)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.reviewButton.setAccessibleName(QCoreApplication.translate("MainWindow", u"Review queue", None))
#endif // QT_CONFIG(accessibility)
        self.usersButton.setText(QCoreApplication.translate("MainWindow", u"Mana&ge users", None))
#if QT_CONFIG(tooltip)
        self.usersButton.setToolTip(QCoreApplication.translate("MainWindow", u"Enrol users, change roles and teams (Ctrl+3)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.usersButton.setAccessibleName(QCoreApplication.translate("MainWindow", u"Users", None))
#endif // QT_CONFIG(accessibility)
        self.auditButton.setText(QCoreApplication.translate("MainWindow", u"Au&dit log", None))
#if QT_CONFIG(tooltip)
        self.auditButton.setToolTip(QCoreApplication.translate("MainWindow", u"Who viewed, changed, exported or backed up what (Ctrl+4)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.auditButton.setAccessibleName(QCoreApplication.translate("MainWindow", u"Audit log", None))
#endif // QT_CONFIG(accessibility)
        self.dashboardButton.setText(QCoreApplication.translate("MainWindow", u"Dash&board", None))
#if QT_CONFIG(tooltip)
        self.dashboardButton.setToolTip(QCoreApplication.translate("MainWindow", u"Your team's screening position at a glance (Ctrl+5)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.dashboardButton.setAccessibleName(QCoreApplication.translate("MainWindow", u"Dashboard", None))
#endif // QT_CONFIG(accessibility)
        self.importButton.setText(QCoreApplication.translate("MainWindow", u"&Import children\u2026", None))
#if QT_CONFIG(tooltip)
        self.importButton.setToolTip(QCoreApplication.translate("MainWindow", u"Add children from a CSV or Excel list (Ctrl+I)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.importButton.setAccessibleName(QCoreApplication.translate("MainWindow", u"Import children", None))
#endif // QT_CONFIG(accessibility)
        self.exportButton.setText(QCoreApplication.translate("MainWindow", u"E&xport\u2026", None))
#if QT_CONFIG(tooltip)
        self.exportButton.setToolTip(QCoreApplication.translate("MainWindow", u"Write an Excel workbook for managers and boards (Ctrl+E)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.exportButton.setAccessibleName(QCoreApplication.translate("MainWindow", u"Export to Excel", None))
#endif // QT_CONFIG(accessibility)
        self.backupButton.setText(QCoreApplication.translate("MainWindow", u"Bac&k up\u2026", None))
#if QT_CONFIG(tooltip)
        self.backupButton.setToolTip(QCoreApplication.translate("MainWindow", u"Write an encrypted backup of the database", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.backupButton.setAccessibleName(QCoreApplication.translate("MainWindow", u"Back up the database", None))
#endif // QT_CONFIG(accessibility)
        self.settingsButton.setText(QCoreApplication.translate("MainWindow", u"&Settings", None))
#if QT_CONFIG(tooltip)
        self.settingsButton.setToolTip(QCoreApplication.translate("MainWindow", u"Idle lock, register filter and appearance (Ctrl+,)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.settingsButton.setAccessibleName(QCoreApplication.translate("MainWindow", u"Settings", None))
#endif // QT_CONFIG(accessibility)
        self.lockButton.setText(QCoreApplication.translate("MainWindow", u"&Lock", None))
#if QT_CONFIG(tooltip)
        self.lockButton.setToolTip(QCoreApplication.translate("MainWindow", u"Lock now (Ctrl+L). Ctrl+Shift+H locks and hides the window.", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.lockButton.setAccessibleName(QCoreApplication.translate("MainWindow", u"Lock", None))
#endif // QT_CONFIG(accessibility)
        self.backButton.setText(QCoreApplication.translate("MainWindow", u"\u2190 Back", None))
#if QT_CONFIG(tooltip)
        self.backButton.setToolTip(QCoreApplication.translate("MainWindow", u"Back to the previous page (Alt+Left)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.backButton.setAccessibleName(QCoreApplication.translate("MainWindow", u"Back to the previous page", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.pageStack.setAccessibleName(QCoreApplication.translate("MainWindow", u"Current page", None))
#endif // QT_CONFIG(accessibility)
        self.emptyLabel.setText(QCoreApplication.translate("MainWindow", u"Loading\u2026", None))
#if QT_CONFIG(accessibility)
        self.statusBar.setAccessibleName(QCoreApplication.translate("MainWindow", u"Status messages", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

