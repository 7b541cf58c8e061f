FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
WORKDIR C:/tools
COPY bin/tool.exe C:/tools/tool.exe
ENV PATH="C:\\tools;C:\\Windows\\system32;C:\\Windows"
RUN tool.exe --version
ENTRYPOINT ["C:\\tools\\tool.exe"]
