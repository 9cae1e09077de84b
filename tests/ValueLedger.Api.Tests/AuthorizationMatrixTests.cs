using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests;

/// <summary>
/// The authorization matrix: every mapped /api endpoint and every hub method, called with every role and with no
/// token. The expectations below are the specification; an endpoint the app maps but the table does not name fails
/// the test, so a new endpoint cannot arrive without someone deciding who may call it.
/// </summary>
public sealed class the_authorization_matrix(AppFixture app) : IntegrationContext(app)
{
    private const string Anonymous = "anonymous";
    private const string OwnCustomer = "customer";
    private const string OtherCustomer = "customer of another account";
    private const string Viewer = "viewer contact of the account";
    /// <summary>A service account's key (X-Api-Key) granted the account: records and imports measurements, nothing else.</summary>
    private const string Feed = "feed granted the account";

    private static readonly string[] Staff = [Roles.Csm, Roles.Executive, Roles.Auditor, Roles.Admin];
    private static readonly string[] Writers = [Roles.Csm, Roles.Admin];
    private static readonly string[] Readers = [.. Staff, OwnCustomer, Viewer];
    /// <summary>Sign-off is the customer's own act: only an approver contact of the account, no staff role.</summary>
    private static readonly string[] Verifiers = [OwnCustomer];
    private static readonly string[] Auditors = [Roles.Auditor, Roles.Admin];
    private static readonly string[] Everyone = [.. Staff, OwnCustomer, OtherCustomer, Viewer, Feed, Anonymous];

    /// <summary>Who may call each route; everyone else gets 403, or 401 without a token.</summary>
    public static readonly Dictionary<string, string[]> Expected = new()
    {
        ["POST /api/accounts"] = Writers,
        ["GET /api/accounts"] = Staff,
        ["PUT /api/accounts/by-external-id/{system}/{externalId}"] = Writers,
        ["POST /api/accounts/import"] = Writers,
        ["GET /api/me/notifications"] = Staff,
        ["PUT /api/me/notifications"] = Staff,
        ["POST /api/digests/weekly"] = [Roles.Admin],
        ["POST /api/reports/monthly"] = [Roles.Admin],
        ["GET /api/accounts/by-external-id/{system}/{externalId}"] = Staff,
        ["GET /api/accounts/{accountId}"] = Readers,
        ["PATCH /api/accounts/{accountId}"] = Writers,
        ["GET /api/accounts/{accountId}/receipts/{version}"] = Readers,
        ["GET /api/accounts/{accountId}/report"] = Readers,
        ["POST /api/accounts/{accountId}/prioritisation"] = Writers,
        ["POST /api/accounts/{accountId}/commitments"] = Writers,
        ["GET /api/accounts/{accountId}/commitments/{commitmentId}"] = Readers,
        ["POST /api/accounts/{accountId}/commitments/{commitmentId}/revisions"] = Writers,
        ["POST /api/accounts/{accountId}/commitments/{commitmentId}/withdrawal"] = Writers,
        ["POST /api/accounts/{accountId}/commitments/{commitmentId}/measurements"] = [.. Writers, Feed],
        ["GET /api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}"] = Readers,
        ["GET /api/accounts/{accountId}/commitments/{commitmentId}/measurements"] = Readers,
        ["POST /api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/corrections"] = Writers,
        ["POST /api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/confirmation"] = Verifiers,
        ["POST /api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/dispute"] = Verifiers,
        ["POST /api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/confirmation-on-behalf"] = Writers,
        ["POST /api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/dispute/answers"] = Writers,
        ["POST /api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/confirmation-request"] = Writers,
        ["POST /api/accounts/{accountId}/measurements/import"] = [.. Writers, Feed],
        ["GET /api/accounts/{accountId}/measurements/import/template"] = [.. Writers, Feed],
        ["POST /api/accounts/{accountId}/evidence"] = Writers,
        ["GET /api/accounts/{accountId}/evidence/{sha256}"] = Readers,
        ["POST /api/accounts/{accountId}/contacts"] = Writers,
        ["GET /api/accounts/{accountId}/contacts"] = Staff,
        ["POST /api/accounts/{accountId}/contacts/{contactId}/invitation"] = Writers,
        ["DELETE /api/accounts/{accountId}/contacts/{contactId}"] = Writers,
        ["POST /api/contacts/sign-in"] = Everyone,
        ["POST /api/local/sign-in"] = Everyone,
        ["GET /api/auth/sign-in-options"] = Everyone,
        ["GET /api/accounts/{accountId}/history"] = Auditors,
        ["GET /api/accounts/{accountId}/diff"] = Auditors,
        ["GET /api/audit/verification"] = Auditors,
        ["GET /api/audit/digest"] = Auditors,
        ["POST /api/audit/digest/verification"] = Auditors,
        ["GET /api/audit/public-key"] = Auditors,
        ["GET /api/audit/checkpoints/latest"] = Auditors,
        ["GET /api/audit/checkpoints"] = Auditors,
        ["POST /api/audit/checkpoints"] = [Roles.Admin],
        ["POST /api/audit/checkpoints/verification"] = Auditors,
        ["GET /api/audit/proofs/inclusion"] = Auditors,
        ["GET /api/audit/proofs/consistency"] = Auditors,
        ["PUT /api/accounts/{accountId}/commitments/{commitmentId}/contract"] = Writers,
        ["GET /api/accounts/{accountId}/commitments/{commitmentId}/contract"] = Readers,
        ["POST /api/accounts/{accountId}/commitments/{commitmentId}/settlements"] = Writers,
        ["GET /api/accounts/{accountId}/commitments/{commitmentId}/settlements"] = Readers,
        ["GET /api/accounts/{accountId}/commitments/{commitmentId}/settlements/{settlementId}"] = Readers,
        ["POST /api/accounts/{accountId}/commitments/{commitmentId}/settlements/{settlementId}/certification"] = Verifiers,
        ["POST /api/accounts/{accountId}/commitments/{commitmentId}/settlements/{settlementId}/dispute"] = Verifiers,
        ["POST /api/accounts/{accountId}/commitments/{commitmentId}/settlements/{settlementId}/certification-request"] = Writers,
        ["POST /api/accounts/{accountId}/responsibilities"] = Writers,
        ["GET /api/accounts/{accountId}/responsibilities"] = Readers,
        ["GET /api/accounts/{accountId}/responsibilities/{responsibilityId}"] = Readers,
        ["POST /api/accounts/{accountId}/responsibilities/{responsibilityId}/fulfilments"] = Writers,
        ["POST /api/value-calculations"] = Staff,
        ["GET /api/portfolio"] = Staff,
        ["GET /api/portfolio/report"] = Staff,
        ["POST /api/fx-rates"] = [Roles.Admin],
        ["GET /api/fx-rates"] = Staff,
        ["POST /api/webhooks"] = [Roles.Admin],
        ["GET /api/webhooks"] = [Roles.Admin],
        ["GET /api/webhooks/{webhookId}/deliveries"] = [Roles.Admin],
        ["POST /api/webhooks/{webhookId}/pause"] = [Roles.Admin],
        ["POST /api/webhooks/{webhookId}/resume"] = [Roles.Admin],
        ["POST /api/webhooks/{webhookId}/secret"] = [Roles.Admin],
        ["DELETE /api/webhooks/{webhookId}"] = [Roles.Admin],
        ["POST /api/webhooks/{webhookId}/deliveries/{deliveryId}/replay"] = [Roles.Admin],
        ["POST /api/service-accounts"] = [Roles.Admin],
        ["GET /api/service-accounts"] = [Roles.Admin],
        ["DELETE /api/service-accounts/{serviceAccountId}"] = [Roles.Admin],
    };

    /// <summary>Who may call each hub method with the watched account being the customer's own.</summary>
    public static readonly Dictionary<string, string[]> ExpectedHub = new()
    {
        ["WatchAccount"] = Readers,
        // Leaving a group one is not in changes nothing, so any signed-in caller may unwatch.
        ["Unwatch"] = [.. Staff, OwnCustomer, OtherCustomer, Viewer],
        ["WatchPortfolio"] = Staff,
        ["UnwatchPortfolio"] = [.. Staff, OwnCustomer, OtherCustomer, Viewer],
    };

    public static readonly string[] Callers = [.. Staff, OwnCustomer, OtherCustomer, Viewer, Anonymous];

    [Fact]
    public void every_mapped_endpoint_has_an_expectation()
    {
        var mapped = MappedRoutes().Select(r => r.Key).ToList();
        Assert.Empty(mapped.Except(Expected.Keys));
        Assert.Empty(Expected.Keys.Except(mapped));
    }

    [Fact]
    public void every_hub_method_has_an_expectation()
    {
        var methods = typeof(ValueLedger.Api.Features.Live.ValueHub).GetMethods(System.Reflection.BindingFlags.Public |
                System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
            .Where(m => m.GetBaseDefinition().DeclaringType == typeof(ValueLedger.Api.Features.Live.ValueHub)) // not OnConnectedAsync & co.
            .Select(m => m.Name).ToHashSet();
        Assert.Equal(methods.Order(), ExpectedHub.Keys.Order());
    }

    [Fact]
    public async Task every_endpoint_answers_401_403_or_lets_the_caller_through()
    {
        var (accountId, commitmentId) = await OpenAccountWithCommitmentAsync();
        var measurementId = await RecordAsync(accountId, commitmentId, AMonth(1, 90));
        var otherAccount = await OpenAccountAsync(AnAccount("Other Co"));
        var failures = new List<string>();
        _feed = await ServiceAccountClientAsync(App, accountId);

        foreach (var (key, route) in MappedRoutes())
        {
            var (method, pattern) = (key.Split(' ')[0], key.Split(' ')[1]);
            var url = pattern.Replace("{accountId}", accountId.ToString()).Replace("{commitmentId}", commitmentId.ToString())
                .Replace("{measurementId}", measurementId.ToString());
            url = System.Text.RegularExpressions.Regex.Replace(url, "{[^}]+}", _ => Guid.NewGuid().ToString());
            foreach (var caller in (string[])[.. Callers, Feed])
            {
                var client = ClientOf(caller, accountId, otherAccount);
                var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method != "GET") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                var status = (await client.SendAsync(request)).StatusCode;

                var allowed = Expected[key].Contains(caller);
                var ok = caller == Anonymous && !allowed ? status == HttpStatusCode.Unauthorized
                    : !allowed ? status == HttpStatusCode.Forbidden
                    : status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500;
                if (!ok) failures.Add($"{key} as {caller}: {(int)status} (allowed: {allowed})");
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task every_hub_method_lets_only_its_callers_watch()
    {
        var accountId = await OpenAccountAsync();
        var otherAccount = await OpenAccountAsync(AnAccount("Other Co"));
        var failures = new List<string>();
        foreach (var caller in Callers)
        {
            await using var connection = Connect(caller, accountId, otherAccount);
            try
            {
                await connection.StartAsync();
            }
            catch (Exception) when (caller == Anonymous)
            {
                continue; // no token, no connection: that is the expected answer
            }
            if (caller == Anonymous) failures.Add("an anonymous caller connected to the hub");

            foreach (var (method, allowedCallers) in ExpectedHub)
            {
                var allowed = allowedCallers.Contains(caller);
                try
                {
                    var takesAccount = typeof(ValueLedger.Api.Features.Live.ValueHub).GetMethod(method)!.GetParameters().Length > 0;
                    await connection.InvokeCoreAsync(method, takesAccount ? [accountId] : []);
                    if (!allowed) failures.Add($"{method} as {caller} was allowed");
                }
                catch (HubException) when (!allowed)
                {
                }
                catch (HubException e)
                {
                    failures.Add($"{method} as {caller} was refused: {e.Message}");
                }
            }
        }
        Assert.Empty(failures);
    }

    private IEnumerable<KeyValuePair<string, RouteEndpoint>> MappedRoutes() =>
        Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith("/api/"))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => new KeyValuePair<string, RouteEndpoint>($"{m} /{e.RoutePattern.RawText!.TrimStart('/')}", e)))
            .DistinctBy(p => p.Key);

    private HttpClient? _feed;

    /// <summary>A client that authenticates with the API key of a new service account granted <paramref name="accountId"/>.</summary>
    public static async Task<HttpClient> ServiceAccountClientAsync(AppFixture app, Guid accountId, string name = "ERP nightly export")
    {
        var created = await app.ClientFor(Roles.Admin, "ada.admin").PostAsync("/api/service-accounts",
            new StringContent(System.Text.Json.JsonSerializer.Serialize(new { name, accountIds = new[] { accountId } }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (string)System.Text.Json.Nodes.JsonNode.Parse(await created.Content.ReadAsStringAsync())!["apiKey"]!;
        var client = app.ClientFor(null);
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private HttpClient ClientOf(string caller, Guid ownAccount, Guid otherAccount) => caller switch
    {
        Anonymous => App.ClientFor(null),
        Feed => _feed!,
        OwnCustomer => App.ClientFor(Roles.Customer, "jane@buyer.example", ownAccount),
        OtherCustomer => App.ClientFor(Roles.Customer, "max@other.example", otherAccount),
        Viewer => App.ClientFor(Roles.Customer, "vic@buyer.example", ownAccount, ContactRoles.Viewer),
        _ => App.ClientFor(caller)
    };

    private HubConnection Connect(string caller, Guid ownAccount, Guid otherAccount)
    {
        var token = caller switch
        {
            Anonymous => null,
            OwnCustomer => App.TokenFor(Roles.Customer, "jane@buyer.example", ownAccount),
            OtherCustomer => App.TokenFor(Roles.Customer, "max@other.example", otherAccount),
            Viewer => App.TokenFor(Roles.Customer, "vic@buyer.example", ownAccount, ContactRoles.Viewer),
            _ => App.TokenFor(caller)
        };
        var server = Host.Server;
        return new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/value"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.WebSocketFactory = async (context, cancellation) =>
                {
                    var client = server.CreateWebSocketClient();
                    if (token is not null) client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {token}";
                    return await client.ConnectAsync(context.Uri, cancellation);
                };
            })
            .Build();
    }
}
