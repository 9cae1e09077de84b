using Microsoft.AspNetCore.Authentication;

namespace ValueLedger.Api.Features.ServiceAccounts;

public sealed record CreateServiceAccountRequest(string? Name, List<Guid>? AccountIds);

public sealed class CreateServiceAccountValidator : AbstractValidator<CreateServiceAccountRequest>
{
    public CreateServiceAccountValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.AccountIds).NotEmpty().Must(a => a is null || a.Count <= 1000).WithMessage("Grant at most 1000 accounts.");
        RuleForEach(r => r.AccountIds).NotEqual(Guid.Empty);
    }
}

public sealed record ServiceAccountView(Guid Id, string Name, string Role, IReadOnlyList<Guid> AccountIds, string KeyPrefix, string CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string? RevokedBy)
{
    public static ServiceAccountView Of(ServiceAccount s) =>
        new(s.Id, s.Name, Roles.Feed, s.AccountIds, s.KeyPrefix, s.CreatedBy, s.CreatedAt, s.RevokedAt, s.RevokedBy);
}

/// <summary>A new service account with its API key: answered once.</summary>
public sealed record ServiceAccountWithKey(ServiceAccountView ServiceAccount, string ApiKey);

/// <summary>Admins make, list and revoke machine clients (api.md, Integrations: <c>POST /api/service-accounts</c>).</summary>
public static class ServiceAccountEndpoints
{
    [Authorize(Policy = Policies.Administer)]
    [WolverinePost("/api/service-accounts", Name = "CreateServiceAccount")]
    public static async Task<IResult> Create(CreateServiceAccountRequest r, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var granted = r.AccountIds!.Distinct().ToList();
        var known = (await session.LoadManyAsync<Account>(http.RequestAborted, granted)).Select(a => a.Id).ToHashSet();
        var unknown = granted.Where(id => !known.Contains(id)).ToList();
        if (unknown.Count > 0)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["accountIds"] = [$"No such account: {string.Join(", ", unknown)}."] },
                title: "The request has invalid fields");
        var key = ServiceAccount.NewKey();
        var account = new ServiceAccount
        {
            Id = Guid.CreateVersion7(), Name = r.Name!.Trim(), AccountIds = granted, KeyHash = ServiceAccount.HashOf(key), KeyPrefix = key[..12],
            CreatedBy = CurrentUser.NameOf(http.User), CreatedAt = clock.GetUtcNow()
        };
        session.Insert(account);
        return Results.Created($"/api/service-accounts/{account.Id}", new ServiceAccountWithKey(ServiceAccountView.Of(account), key));
    }

    [Authorize(Policy = Policies.Administer)]
    [WolverineGet("/api/service-accounts", Name = "ListServiceAccounts")]
    public static async Task<IResult> List(HttpContext http, IQuerySession session) =>
        Results.Ok((await session.Query<ServiceAccount>().OrderBy(s => s.CreatedAt).ToListAsync(http.RequestAborted)).Select(ServiceAccountView.Of).ToList());

    /// <summary>Revokes the key: its next request is refused. The record stays (its name is the author of what it recorded).</summary>
    [Authorize(Policy = Policies.Administer)]
    [WolverineDelete("/api/service-accounts/{serviceAccountId}", Name = "RevokeServiceAccount")]
    public static async Task<IResult> Revoke(Guid serviceAccountId, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        if (await session.LoadAsync<ServiceAccount>(serviceAccountId, http.RequestAborted) is not { } account)
            return Problems.NotFound("Service account", serviceAccountId);
        if (account.RevokedAt is null)
        {
            (account.RevokedAt, account.RevokedBy) = (clock.GetUtcNow(), CurrentUser.NameOf(http.User));
            session.Store(account);
        }
        return Results.Ok(ServiceAccountView.Of(account));
    }
}

public static class ServiceAccountsConfiguration
{
    /// <summary>Service accounts (issue 17, item 3): their documents and the X-Api-Key authentication scheme.</summary>
    public static IServiceCollection AddValueLedgerServiceAccounts(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.Scheme, null);
        services.ConfigureMarten(opts => opts.Schema.For<ServiceAccount>().UniqueIndex(s => s.KeyHash));
        return services;
    }
}
