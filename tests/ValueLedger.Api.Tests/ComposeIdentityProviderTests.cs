using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ValueLedger.Api.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace ValueLedger.Api.Tests;

/// <summary>
/// docker-compose.yml runs Keycloak with the realm of ops/keycloak, and the nodes trust it. Nothing here runs Docker, so
/// these read the two files as Docker and Keycloak would and check that they agree with each other and with the app:
/// the staff roles of <see cref="Roles"/>, the claim the app reads roles from, the audience and the issuer.
/// </summary>
public sealed partial class the_compose_identity_provider
{
    private static readonly string Root = RepositoryRoot();
    private static readonly JsonNode Realm = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "ops", "keycloak", "valueledger-realm.json")))!;
    private static readonly YamlMappingNode Compose = LoadCompose();

    private static YamlMappingNode Service(string name) => (YamlMappingNode)((YamlMappingNode)Compose["services"])[name];

    /// <summary>An app node's environment, with the x-app anchor's entries merged in as compose merges them (<c>&lt;&lt;</c>).</summary>
    private static Dictionary<string, string> EnvironmentOf(string service)
    {
        var result = new Dictionary<string, string>();
        void Add(YamlNode node)
        {
            var mapping = (YamlMappingNode)node;
            if (mapping.Children.TryGetValue(new YamlScalarNode("<<"), out var merged)) Add(merged);
            foreach (var (key, value) in mapping.Children)
                if (key.ToString() != "<<") result[key.ToString()] = ((YamlScalarNode)value).Value!;
        }
        Add(Merged(Service(service))["environment"]);
        return result;
    }

    private static YamlMappingNode Merged(YamlMappingNode mapping)
    {
        if (!mapping.Children.TryGetValue(new YamlScalarNode("<<"), out var merged)) return mapping;
        var result = new YamlMappingNode();
        foreach (var (key, value) in Merged((YamlMappingNode)merged).Children) result.Children[key] = value;
        foreach (var (key, value) in mapping.Children.Where(c => c.Key.ToString() != "<<")) result.Children[key] = value;
        return result;
    }

    /// <summary>What compose substitutes for <c>${NAME:-default}</c> when .env does not set NAME.</summary>
    private static string DefaultOf(string value)
    {
        var match = Interpolation().Match(value);
        Assert.True(match.Success && match.Groups["op"].Value == ":-", $"{value} should be ${{NAME:-default}}");
        return match.Groups["default"].Value;
    }

    private static IEnumerable<JsonNode> Users => Realm["users"]!.AsArray().Select(u => u!);
    private static JsonNode Client(string clientId) => Realm["clients"]!.AsArray().Single(c => (string)c!["clientId"]! == clientId)!;

    private static IEnumerable<JsonNode> Mappers(JsonNode client, string type) =>
        client["protocolMappers"]!.AsArray().Where(m => (string)m!["protocolMapper"]! == type).Select(m => m!);

    [Fact]
    public void the_realm_defines_every_staff_role_of_the_app_with_a_test_user_whose_password_must_be_changed()
    {
        var realmRoles = Realm["roles"]!["realm"]!.AsArray().Select(r => (string)r!["name"]!).ToList();
        Assert.Empty(Roles.Staff.Except(realmRoles));
        Assert.DoesNotContain(Roles.Customer, realmRoles); // buyers are contacts of the app, never provider users

        foreach (var role in Roles.Staff)
        {
            var user = Assert.Single(Users, u => u["realmRoles"]!.AsArray().Select(r => (string)r!).Contains(role));
            Assert.True((bool)user["enabled"]!, $"the {role} test user is enabled");
            Assert.False(string.IsNullOrWhiteSpace((string?)user["firstName"]) || string.IsNullOrWhiteSpace((string?)user["email"]),
                $"the {role} test user has a name and an e-mail (the token's name claim)");
            var password = Assert.Single(user["credentials"]!.AsArray())!;
            Assert.Equal("password", (string)password["type"]!);
            Assert.True((bool)password["temporary"]!, $"the {role} test user's password is temporary");
        }
    }

    [Fact]
    public void the_dashboard_client_is_public_with_pkce_and_its_tokens_carry_the_roles_where_the_app_reads_them()
    {
        var dashboard = Client("valueledger-dashboard");
        Assert.True((bool)dashboard["publicClient"]!);
        Assert.True((bool)dashboard["standardFlowEnabled"]!);
        Assert.False((bool)dashboard["implicitFlowEnabled"]!);
        Assert.False((bool)dashboard["directAccessGrantsEnabled"]!);
        Assert.Equal("S256", (string)dashboard["attributes"]!["pkce.code.challenge.method"]!);
        Assert.Contains("http://localhost:5080/*", dashboard["redirectUris"]!.AsArray().Select(u => (string)u!));

        foreach (var client in new[] { dashboard, Client("valueledger-cli") })
        {
            var roles = Assert.Single(Mappers(client, "oidc-usermodel-realm-role-mapper"))["config"]!;
            Assert.Equal(Security.RoleClaim, (string)roles["claim.name"]!);
            Assert.Equal("true", (string)roles["multivalued"]!);
            Assert.Equal("true", (string)roles["access.token.claim"]!);
        }
        // The default client scopes (basic: sub; profile: name) stay: the realm names none of its own.
        Assert.Null(Realm["clientScopes"]);
        Assert.Null(dashboard["defaultClientScopes"]);
    }

    [Fact]
    public void the_audience_the_nodes_expect_is_the_one_the_clients_put_in_their_tokens()
    {
        var audience = DefaultOf(EnvironmentOf("app-1")["Auth__Audience"]);
        Assert.NotNull(Client(audience)); // the API is a client of the realm, so the audience names something real
        foreach (var client in new[] { "valueledger-dashboard", "valueledger-cli" })
        {
            var mapper = Assert.Single(Mappers(Client(client), "oidc-audience-mapper"))["config"]!;
            Assert.Equal(audience, (string)mapper["included.client.audience"]!);
            Assert.Equal("true", (string)mapper["access.token.claim"]!);
        }
    }

    [Fact]
    public void the_nodes_trust_the_realm_the_keycloak_service_imports()
    {
        var realm = (string)Realm["realm"]!;
        foreach (var node in new[] { "app-1", "app-2" })
        {
            var environment = EnvironmentOf(node);
            var authority = new Uri(DefaultOf(environment["Auth__Authority"]));
            Assert.Equal(("keycloak", 8080, $"/realms/{realm}"), (authority.Host, authority.Port, authority.AbsolutePath));
            Assert.Equal("false", DefaultOf(environment["Auth__RequireHttpsMetadata"])); // http on the compose network
        }

        var keycloak = Service("keycloak");
        var image = ((YamlScalarNode)keycloak["image"]).Value!;
        Assert.Matches(@"^quay\.io/keycloak/keycloak:\d+\.\d+\.\d+$", image);
        Assert.Equal(["start-dev", "--import-realm"], ((YamlSequenceNode)keycloak["command"]).Select(c => c.ToString()));
        var mounts = ((YamlSequenceNode)keycloak["volumes"]).Select(v => v.ToString()).ToList();
        Assert.Contains("./ops/keycloak/valueledger-realm.json:/opt/keycloak/data/import/valueledger-realm.json:ro", mounts);
        var keycloakEnvironment = (YamlMappingNode)keycloak["environment"];
        Assert.Matches(@"^\$\{KEYCLOAK_ADMIN_PASSWORD:\?.+\}$", keycloakEnvironment["KC_BOOTSTRAP_ADMIN_PASSWORD"].ToString());
        // Browsers and the nodes see one issuer: the front-channel address; the nodes use the back channel.
        Assert.Equal("true", keycloakEnvironment["KC_HOSTNAME_BACKCHANNEL_DYNAMIC"].ToString());
        Assert.Contains("KEYCLOAK_ADMIN_PASSWORD=", File.ReadAllLines(Path.Combine(Root, ".env.example")));

        var dependsOn = (YamlMappingNode)Merged(Service("app-1"))["depends_on"];
        Assert.Equal("service_healthy", ((YamlMappingNode)dependsOn["keycloak"])["condition"].ToString());
    }

    [Fact]
    public void the_dashboard_signs_in_at_the_issuer_browsers_reach_with_the_realms_pkce_client()
    {
        var environment = EnvironmentOf("app-1");
        var issuer = DefaultOf(environment["Auth__Dashboard__Authority"]);
        var keycloakUrl = DefaultOf(((YamlMappingNode)Service("keycloak")["environment"])["KC_HOSTNAME"].ToString());
        Assert.Equal($"{keycloakUrl}/realms/{(string)Realm["realm"]!}", issuer);

        var clientId = DefaultOf(environment["Auth__Dashboard__ClientId"]);
        Assert.Equal(new DashboardSignInSettings().ClientId, clientId);
        var client = Client(clientId);
        Assert.True((bool)client["publicClient"]!);
        Assert.True((bool)client["standardFlowEnabled"]!);
        Assert.False((bool)client["implicitFlowEnabled"]!);
        Assert.Equal("S256", (string)client["attributes"]!["pkce.code.challenge.method"]!);
        // The dashboard comes back to the app's address + "/" (nginx publishes it on localhost:5080), and its token
        // requests come from that origin.
        var nginxPort = ((YamlSequenceNode)Service("load-balancer")["ports"]).Select(p => p.ToString()).Single(p => p.EndsWith(":80", StringComparison.Ordinal));
        var app = $"http://localhost:{nginxPort.Split(':')[^2]}";
        Assert.Contains(client["redirectUris"]!.AsArray(), uri => Regex.IsMatch($"{app}/", "^" + Regex.Escape((string)uri!).Replace(@"\*", ".*") + "$"));
        Assert.Contains(client["webOrigins"]!.AsArray(), origin => (string)origin! == app);
        Assert.Contains(client["attributes"]!["post.logout.redirect.uris"]!.ToString().Split("##"),
            uri => Regex.IsMatch($"{app}/", "^" + Regex.Escape(uri).Replace(@"\*", ".*") + "$"));
    }

    [Fact]
    public void no_secret_in_the_compose_file_has_a_default()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        foreach (Match match in Interpolation().Matches(text))
            if (match.Groups["name"].Value.Contains("PASSWORD") || match.Groups["name"].Value.Contains("SECRET"))
                Assert.Equal(":?", match.Groups["op"].Value);
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Z0-9_]+)(?<op>:-|:\?)(?<default>[^}]*)\}")]
    private static partial Regex Interpolation();

    private static YamlMappingNode LoadCompose()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, "docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ValueLedger.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("ValueLedger.sln not found above the test binaries");
    }
}
