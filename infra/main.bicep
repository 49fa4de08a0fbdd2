// ValueBot on Azure: one resource group holding
//   user-assigned managed identity (the bot's Microsoft App ID and its Graph / Key Vault / ACR identity)
//   Azure Bot registration (UserAssignedMSI) + Microsoft Teams channel
//   Linux App Service plan + web app running the container image, instanceCount instances behind the App Service
//   load balancer (instanceCount also sets Deployment__InstanceCount, from which each instance takes its share of the send rate)
//   PostgreSQL Flexible Server 16 (one database shared by every instance; every instance's Hangfire server
//   shares its job storage (schema hangfire), the outbox senders claim disjoint rows with FOR UPDATE SKIP LOCKED)
//   Key Vault (RBAC) holding the database connection string
//   Container registry, Log Analytics workspace + Application Insights
//
// Deploy:  az deployment group create -g <rg> -f infra/main.bicep -p infra/main.parameters.json -p postgresAdminPassword=...
// See infra/README.md. Built and linted by tests/ValueBot.Manifest.Tests/InfraBicepTests.cs (Bicep CLI from NuGet).

targetScope = 'resourceGroup'

@description('Short base name for every resource (lowercase letters, digits and hyphens).')
@minLength(3)
@maxLength(12)
param name string = 'valuebot'

@description('Azure region for everything except the bot registration, which is global.')
param location string = resourceGroup().location

@description('Number of web app instances: the plan\'s capacity and Deployment__InstanceCount. The database is always PostgreSQL; above 1 the instances share Hangfire\'s job storage on it (the app refuses SQLite there).')
@minValue(1)
@maxValue(10)
param instanceCount int = 2

@description('App Service plan SKU (Linux). P0v3 and up support several instances and always-on.')
param appServiceSku string = 'P0v3'

@description('Container image to run. Empty: <registry>/valuebot:<imageTag> from the registry this template creates.')
param containerImage string = ''

@description('Image tag used when containerImage is empty.')
param imageTag string = 'latest'

@description('Azure Bot pricing tier. F0 is free (standard channels such as Teams are not metered); S1 for an SLA.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Display name of the bot registration.')
param botDisplayName string = 'ValueBot'

@description('PostgreSQL administrator login.')
param postgresAdminLogin string = 'valuebotadmin'

@description('PostgreSQL administrator password. Stored only in Key Vault, inside the connection string.')
@secure()
param postgresAdminPassword string

@description('PostgreSQL compute SKU.')
param postgresSkuName string = 'Standard_B1ms'

@description('PostgreSQL compute tier matching postgresSkuName.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@description('PostgreSQL storage in GiB.')
param postgresStorageGb int = 32

@description('Name of the application database.')
param databaseName string = 'valuebot'

@description('Database connections all instances together may open (each instance gets an equal share as its pool size). Keep it below the server\'s max_connections: 50 on Standard_B1ms.')
@minValue(10)
param postgresConnectionBudget int = 40

@description('OTLP endpoint for the app\'s OpenTelemetry exporter (for example an OpenTelemetry Collector). Empty: not set.')
param otlpEndpoint string = ''

@description('OTLP protocol of otlpEndpoint: http/protobuf (a collector\'s port 4318) or grpc (port 4317).')
@allowed([
  'http/protobuf'
  'grpc'
])
param otlpProtocol string = 'http/protobuf'

@description('Public host name of the Teams tab (the manifest\'s BOT_DOMAIN, and api://<host>/<app id> of its single sign-on). Empty: the web app\'s default host name, <name>-web-<suffix>.azurewebsites.net.')
param tabHost string = ''

@description('More app settings (name -> value) to add; do not repeat a name this template already sets.')
param extraAppSettings object = {}

@description('Tags for every resource.')
param tags object = {
  app: 'valuebot'
}

var suffix = uniqueString(resourceGroup().id)

// Teams allows 50 sends per second per app per tenant, counted across every instance: the app gives each instance
// its share by itself (Delivery:RequestsPerSecondPerTenant ÷ Deployment:InstanceCount), so nothing is set for it here.
var poolSizePerInstance = max(5, postgresConnectionBudget / instanceCount)
var webAppName = '${name}-web-${suffix}'
// The web app cannot read its own defaultHostName in its settings; on App Service it is <site name>.azurewebsites.net.
var tabHostName = empty(tabHost) ? '${webAppName}.azurewebsites.net' : tabHost
var image = empty(containerImage) ? '${registry.properties.loginServer}/valuebot:${imageTag}' : containerImage

// Built-in role definition ids.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

// ---- identity -------------------------------------------------------------------------------------

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id-${suffix}'
  location: location
  tags: tags
}

// ---- monitoring -----------------------------------------------------------------------------------

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs-${suffix}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-ai-${suffix}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

// ---- secrets ----------------------------------------------------------------------------------------

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('kv${replace(name, '-', '')}${suffix}', 24)
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    publicNetworkAccess: 'Enabled'
  }
}

resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---- database ---------------------------------------------------------------------------------------

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: '${name}-pg-${suffix}'
  location: location
  tags: tags
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
    }
    storage: {
      storageSizeGB: postgresStorageGb
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

// 0.0.0.0 - 0.0.0.0 is Azure's rule for "allow public access from any Azure service".
resource postgresAllowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// Npgsql connection string; VerifyFull checks Azure's server certificate against the system CA store.
resource connectionStringSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'ConnectionStrings--ValueBot'
  properties: {
    contentType: 'text/plain'
    value: 'Host=${postgres.properties.fullyQualifiedDomainName};Port=5432;Database=${databaseName};Username=${postgresAdminLogin};Password=${postgresAdminPassword};SSL Mode=VerifyFull;Maximum Pool Size=${poolSizePerInstance}'
  }
}

// ---- container registry -----------------------------------------------------------------------------

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: take('acr${replace(name, '-', '')}${suffix}', 50)
  location: location
  tags: tags
  sku: {
    name: 'Basic'
  }
  properties: {
    adminUserEnabled: false
  }
}

resource registryPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, identity.id, acrPullRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---- web app ----------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan-${suffix}'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServiceSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

var baseAppSettings = [
  // Bot identity: the user-assigned managed identity is the bot's Microsoft App ID (single tenant).
  {
    name: 'Bot__AppId'
    value: identity.properties.clientId
  }
  {
    name: 'Bot__TenantId'
    value: tenant().tenantId
  }
  {
    name: 'Bot__Credential__Type'
    value: 'ManagedIdentity'
  }
  {
    name: 'Bot__Credential__ManagedIdentityClientId'
    value: identity.properties.clientId
  }
  {
    name: 'AZURE_CLIENT_ID'
    value: identity.properties.clientId
  }
  // Resolved by App Service from Key Vault, as the identity named in keyVaultReferenceIdentity.
  {
    name: 'ConnectionStrings__ValueBot'
    value: '@Microsoft.KeyVault(SecretUri=${connectionStringSecret.properties.secretUri})'
  }
  // The same parameter as the plan's capacity. Each instance takes its share of the send rate from it; with SQLite
  // and more than one instance the app refuses to start.
  {
    name: 'Deployment__InstanceCount'
    value: string(instanceCount)
  }
  // The tab's host: Teams single sign-on tokens are accepted for api://<host>/<app id> (webApplicationInfo.resource).
  {
    name: 'Tab__Host'
    value: tabHostName
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: appInsights.properties.ConnectionString
  }
  {
    name: 'OTEL_SERVICE_NAME'
    value: 'valuebot'
  }
  {
    name: 'ASPNETCORE_ENVIRONMENT'
    value: 'Production'
  }
  {
    name: 'WEBSITES_PORT'
    value: '8080'
  }
  {
    name: 'WEBSITES_ENABLE_APP_SERVICE_STORAGE'
    value: 'false'
  }
]
var otlpAppSettings = empty(otlpEndpoint) ? [] : [
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT'
    value: otlpEndpoint
  }
  {
    name: 'OTEL_EXPORTER_OTLP_PROTOCOL'
    value: otlpProtocol
  }
]
var extraAppSettingsList = [for setting in items(extraAppSettings): {
  name: setting.key
  value: string(setting.value)
}]

resource web 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux,container'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'DOCKER|${image}'
      acrUseManagedIdentityCreds: true
      acrUserManagedIdentityID: identity.properties.clientId
      alwaysOn: true
      healthCheckPath: '/health/ready'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(baseAppSettings, otlpAppSettings, extraAppSettingsList)
    }
  }
  dependsOn: [
    vaultSecretsUser
    registryPull
    postgresAllowAzure
    database
  ]
}

resource webDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: web
  properties: {
    workspaceId: logs.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

// ---- bot registration -------------------------------------------------------------------------------

var botEndpoint = 'https://${web.properties.defaultHostName}/api/messages'

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${name}-bot-${suffix}'
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: botEndpoint
    // Multi-tenant bot creation is deprecated; a user-assigned managed identity is single tenant.
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppTenantId: tenant().tenantId
    msaAppMSIResourceId: identity.id
    publicNetworkAccess: 'Enabled'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// ---- outputs ----------------------------------------------------------------------------------------

@description('Messaging endpoint registered on the bot.')
output botEndpoint string = botEndpoint

@description('The web app\'s host name: BOT_DOMAIN for manifest/package.sh.')
output webAppHostName string = web.properties.defaultHostName

@description('The Teams tab\'s host (Tab__Host): the BOT_DOMAIN to package the manifest with.')
output tabHost string = tabHostName

@description('The bot\'s Microsoft App ID (the managed identity\'s client id): BOT_ID for manifest/package.sh.')
output botAppId string = identity.properties.clientId

@description('Object id of the managed identity\'s service principal: grant Graph application permissions to it.')
output identityPrincipalId string = identity.properties.principalId

output webAppName string = web.name
output botName string = bot.name
output keyVaultName string = vault.name
output registryName string = registry.name
output registryLoginServer string = registry.properties.loginServer
output postgresHost string = postgres.properties.fullyQualifiedDomainName
output logAnalyticsWorkspaceId string = logs.id
