# ValueBot web host. Build from the repository root:
#   docker build -t valuebot:latest .
# Not built on the development machines (no Docker engine there); see infra/README.md.

# ---- build ------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore first, from the project files alone, so the package layer is reused while only code changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ValueBot.Domain/ValueBot.Domain.csproj src/ValueBot.Domain/
COPY src/ValueBot.Teams/ValueBot.Teams.csproj src/ValueBot.Teams/
COPY src/ValueBot.Web/ValueBot.Web.csproj src/ValueBot.Web/
RUN dotnet restore src/ValueBot.Web/ValueBot.Web.csproj

COPY src/ src/
RUN dotnet publish src/ValueBot.Web/ValueBot.Web.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# ---- runtime ----------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_RUNNING_IN_CONTAINER=true

COPY --from=build /app ./

# The image's built-in non-root user ("app", uid 1654). Port 8080 needs no privileges.
USER $APP_UID
EXPOSE 8080

# The runtime image has no curl; bash's /dev/tcp is enough to ask /health/ready for a 200.
# (Azure App Service ignores HEALTHCHECK and probes its own health check path, /health/ready.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/ready HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

ENTRYPOINT ["dotnet", "ValueBot.Web.dll"]
