# DiscordMCP server image: `docker build -t discord-mcp:0.1.0 .` (docs/deployment.md).
# The .NET images are named without a registry host: set SDK_IMAGE / RUNTIME_IMAGE (build args) to the registry or mirror
# you pull them from, e.g. --build-arg SDK_IMAGE=<registry>/dotnet/sdk:10.0.
ARG SDK_IMAGE=dotnet/sdk:10.0
ARG RUNTIME_IMAGE=dotnet/aspnet:10.0

# --- build: restore and publish (Release, framework-dependent) ---------------------------------------------------------
FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet restore src/DiscordMcp.Host/DiscordMcp.Host.csproj
RUN dotnet publish src/DiscordMcp.Host/DiscordMcp.Host.csproj -c Release --no-restore --no-self-contained -o /app

# --- runtime: ASP.NET Core runtime only, non-root, read-only root filesystem friendly -----------------------------------
FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
COPY --from=build /app ./
# /data is the only folder the server writes to (the SQLite file when DATABASE_URL is not set); /tmp is the other
# writable place it needs (run with --read-only and a tmpfs on /tmp). 1654 is the image's non-root user "app".
RUN mkdir -p /data && chown 1654:1654 /data
VOLUME ["/data"]
ENV DISCORD_MCP_URLS=http://0.0.0.0:8000 \
    Storage__DataDirectory=/data \
    ASPNETCORE_HTTP_PORTS= \
    DOTNET_ENVIRONMENT=Production \
    HOME=/tmp
USER 1654
EXPOSE 8000
# No curl in the runtime image: the server checks itself (GET /health on the first DISCORD_MCP_URLS address).
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 CMD ["dotnet", "/app/discord-mcp.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "/app/discord-mcp.dll"]
CMD ["serve"]
