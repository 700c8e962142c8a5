; Inno Setup script: wraps the PyInstaller one-folder build into a Windows installer.
; Build: pyinstaller packaging/party-ledger.spec, then iscc packaging/installer.iss
[Setup]
AppName=党务台账
AppVersion=0.1.0
DefaultDirName={autopf}\PartyLedger
DefaultGroupName=党务台账
OutputBaseFilename=party-ledger-setup-0.1.0
Compression=lzma2
SolidCompression=yes
PrivilegesRequired=lowest
LanguageDetectionMethod=none

[Files]
Source: "..\dist\party-ledger\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\党务台账"; Filename: "{app}\党务台账.exe"
Name: "{autodesktop}\党务台账"; Filename: "{app}\党务台账.exe"

[Run]
Filename: "{app}\党务台账.exe"; Description: "启动党务台账"; Flags: nowait postinstall skipifsilent
