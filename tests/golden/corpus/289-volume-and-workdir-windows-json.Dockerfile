# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2019
VOLUME ["C:\\data", "C:\\logs"]
WORKDIR C:\Users\ContainerAdministrator\app\
COPY ["src\\app.ps1", "C:\\app\\"]
ENTRYPOINT ["powershell.exe", "-File", "C:\\app\\app.ps1"]
