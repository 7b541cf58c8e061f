FROM mcr.microsoft.com/powershell:lts-alpine-3.17
SHELL pwsh -Command
RUN Write-Host "hello"
