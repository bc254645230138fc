# ALOE Studio: web app and the `aloe` CLI in one image.
# Build: docker build -t aloe-studio .
# Run:   docker run -p 8080:8080 -v aloe-data:/app/data aloe-studio
# CLI:   docker run --rm -v aloe-data:/app/data aloe-studio aloe personas stats
#        (or `docker exec CONTAINER aloe ...` beside the running app: same folder, same database)
#
# Base images are pinned to the SDK and runtime this repository is built and tested with
# (dotnet --version 10.0.401, ASP.NET Core runtime 10.0.12); bump both together, on purpose.
FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Aloe.Web -c Release -o /out/web \
 && dotnet publish src/Aloe.Cli -c Release -o /out/cli

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12
# curl for the HEALTHCHECK only.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out/web ./
COPY --from=build /out/cli ./cli
COPY --from=build /src/appsettings.json ./
COPY --from=build /src/prompts ./prompts
# `aloe` on the PATH; ALOE_ROOT makes the CLI and the app use /app's configuration and /app/data.
RUN printf '#!/bin/sh\nexec dotnet /app/cli/aloe.dll "$@"\n' > /usr/local/bin/aloe && chmod 755 /usr/local/bin/aloe \
 && mkdir -p /app/data/keys && chown -R app:app /app/data
ENV ALOE_ROOT=/app \
    ASPNETCORE_URLS=http://+:8080 \
    Auth__LoopbackIsAdmin=false
# The database and the data-protection keys (data/keys, beside the database) are on the volume,
# so a new container keeps both; created owned by the non-root user the image runs as.
# In a container every request arrives from outside, so nobody is the local admin: everyone signs in
# (create the first account with `aloe users add NAME --role Admin`).
VOLUME /app/data
# "app" (uid 1654) is the non-root user the .NET 8+ images ship; the app files stay root-owned, read-only to it.
USER app
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl --fail --silent --show-error http://localhost:8080/health || exit 1
# CMD, not ENTRYPOINT, so that `docker run IMAGE aloe ...` runs the CLI instead of the app.
CMD ["dotnet", "Aloe.Web.dll"]
