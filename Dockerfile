# ALOE Studio web app. Build: docker build -t aloe-studio .
# Run:   docker run -p 8080:8080 -v aloe-data:/app/data aloe-studio
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Aloe.Web -c Release -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out ./
COPY --from=build /src/appsettings.json ./
COPY --from=build /src/prompts ./prompts
ENV ALOE_ROOT=/app \
    ASPNETCORE_URLS=http://+:8080
VOLUME /app/data
EXPOSE 8080
ENTRYPOINT ["dotnet", "Aloe.Web.dll"]
