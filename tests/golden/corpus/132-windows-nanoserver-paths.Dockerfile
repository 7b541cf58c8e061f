# escape=`
FROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022 AS build
WORKDIR C:\src
COPY ["MyApp/MyApp.csproj", "MyApp/"]
RUN dotnet restore "MyApp\MyApp.csproj"
COPY . .
RUN dotnet publish "MyApp\MyApp.csproj" -c Release -o C:\publish

FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022
WORKDIR C:\inetpub\app
COPY --from=build C:\publish .
USER ContainerUser
ENTRYPOINT ["dotnet", "MyApp.dll"]
