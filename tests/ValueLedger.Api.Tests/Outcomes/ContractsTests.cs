using System.Net;
using System.Net.Http.Json;
using ValueLedger.Api.Infrastructure;

namespace ValueLedger.Api.Tests.Outcomes;

public sealed class when_contract_terms_are_agreed(AppFixture app) : OutcomeContext(app)
{
    [Fact]
    public async Task it_answers_201_with_the_terms_and_keeps_every_version()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();

        var first = await PutContractAsync(accountId, commitmentId, BandedTerms());
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal($"{Commitment(accountId, commitmentId)}/contract", first.Headers.Location!.ToString());
        var contract = await ReadAsync(first);
        Assert.Equal(1, (int)contract["current"]!["version"]!);
        Assert.Equal("2026-01-01", (string)contract["current"]!["effectiveFrom"]!);
        Assert.Equal("banded", (string)contract["current"]!["model"]!);
        Assert.Equal(4, contract["settlementPeriods"]!.AsArray().Count);

        var again = await PutContractAsync(accountId, commitmentId, BandedTerms());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var changed = await PutContractAsync(accountId, commitmentId, BandedTerms(cap: 50_000, reason: "Cap raised at the QBR"));
        Assert.Equal(HttpStatusCode.Created, changed.StatusCode);
        var versions = (await GetJsonAsync($"{Commitment(accountId, commitmentId)}/contract"))["versions"]!.AsArray();
        Assert.Equal([30_000m, 50_000m], versions.Select(v => (decimal)v!["cap"]!));
        Assert.Equal("2026-04-01", (string)versions[1]!["effectiveFrom"]!);
        Assert.Equal("Cap raised at the QBR", (string)versions[1]!["reason"]!);
        Assert.Equal("casey.csm", (string)versions[1]!["agreedBy"]!);

        var commitment = await GetJsonAsync(Commitment(accountId, commitmentId));
        Assert.Equal(2, (int)commitment["contract"]!["current"]!["version"]!);
    }

    [Fact]
    public async Task shared_savings_take_a_rate()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        var response = await PutContractAsync(accountId, commitmentId,
            new { currency = "eur", feeBase = 10_000, settlementPeriod = "monthly", model = "sharedSavings", rate = 0.3m, cap = 20_000 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var current = (await ReadAsync(response))["current"]!;
        Assert.Equal(("EUR", 0.3m), ((string)current["currency"]!, (decimal)current["rate"]!));
        Assert.Null(current["floor"]);
    }

    [Fact]
    public async Task bad_terms_are_400_with_field_errors()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        var response = await PutContractAsync(accountId, commitmentId, new
        {
            currency = "euro", feeBase = -1, model = "banded", rate = 0.5m,
            bands = new object[] { new { from = 0.9m, to = 1.1m, rate = 0.5m }, new { from = 1.0m, to = (decimal?)null, rate = 2m } },
            floor = 10, cap = 5
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var keys = ErrorKeys(await ReadAsync(response));
        Assert.Contains("currency", keys);
        Assert.Contains("feebase", keys);
        Assert.Contains("settlementperiod", keys);
        Assert.Contains("rate", keys);
        Assert.Contains("bands[1].rate", keys);
        Assert.Contains("cap", keys);

        var overlapping = await PutContractAsync(accountId, commitmentId, new
        {
            currency = "EUR", feeBase = 0, settlementPeriod = "quarterly", model = "banded",
            bands = new object[] { new { from = 0.9m, to = 1.1m, rate = 0.5m }, new { from = 1.0m, to = (decimal?)null, rate = 1m } }
        });
        Assert.Contains("bands", ErrorKeys(await ReadAsync(overlapping)));

        var nullBand = await PutContractAsync(accountId, commitmentId,
            new { currency = "EUR", feeBase = 0, settlementPeriod = "quarterly", model = "banded", bands = new object?[] { null } });
        Assert.Contains("bands[0]", ErrorKeys(await ReadAsync(nullBand)));

        var noRate = await PutContractAsync(accountId, commitmentId, new { currency = "EUR", feeBase = 0, settlementPeriod = "quarterly", model = "sharedSavings" });
        Assert.Contains("rate", ErrorKeys(await ReadAsync(noRate)));
        Assert.Equal(HttpStatusCode.BadRequest, (await PutContractAsync(accountId, commitmentId, new { model = "gainShare" })).StatusCode);
    }

    [Fact]
    public async Task rules_of_the_commitment_are_422_and_what_does_not_exist_404()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        await AgreeAsync(accountId, commitmentId);
        var noReason = await PutContractAsync(accountId, commitmentId, BandedTerms(cap: 50_000));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.Equal("A change needs a reason", (string)(await ReadAsync(noReason))["title"]!);

        var processAccount = await OpenAccountAsync();
        var processCommitment = (await ReadAsync(await PostAsync($"/api/accounts/{processAccount}/commitments", AScrapRateCommitment())))["id"]!.GetValue<Guid>();
        var notOutcome = await PutContractAsync(processAccount, processCommitment, BandedTerms());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notOutcome.StatusCode);
        Assert.Equal("Not an outcome-centric commitment", (string)(await ReadAsync(notOutcome))["title"]!);

        Assert.Equal(HttpStatusCode.NotFound, (await PutContractAsync(accountId, Guid.NewGuid(), BandedTerms())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutContractAsync(Guid.NewGuid(), commitmentId, BandedTerms())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"{Commitment(processAccount, processCommitment)}/contract")).StatusCode);
    }

    [Fact]
    public async Task a_change_decided_on_an_old_version_of_the_account_is_412()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        var agreed = await PutContractAsync(accountId, commitmentId, BandedTerms());
        var version = agreed.Headers.ETag!.Tag;
        await RecordAsync(accountId, commitmentId, AMonth(1, 90));

        var stale = new HttpRequestMessage(HttpMethod.Put, $"{Commitment(accountId, commitmentId)}/contract")
        {
            Content = JsonContent.Create(BandedTerms(cap: 50_000, reason: "Cap raised"))
        };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(version));
        var response = await Http.SendAsync(stale);
        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Single((await GetJsonAsync($"{Commitment(accountId, commitmentId)}/contract"))["versions"]!.AsArray());
    }

    [Fact]
    public async Task only_customer_success_and_admins_agree_terms()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        foreach (var client in new[] { App.ClientFor(Roles.Executive), App.ClientFor(Roles.Auditor), App.ClientFor(Roles.Customer, "jane", accountId) })
            Assert.Equal(HttpStatusCode.Forbidden, (await PutContractAsync(accountId, commitmentId, BandedTerms(), client)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PutContractAsync(accountId, commitmentId, BandedTerms(), App.ClientFor(Roles.Admin))).StatusCode);
    }
}

public sealed class when_a_period_is_settled(AppFixture app) : OutcomeContext(app)
{
    [Fact]
    public async Task it_answers_201_with_every_step_of_the_settlement()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        await AgreeAsync(accountId, commitmentId);
        await RecordQuarterAsync(accountId, commitmentId, [90, 85, 80]);
        App.Clock.Now = AfterTheFirstQuarter;

        var response = await PostAsync($"{Commitment(accountId, commitmentId)}/settlements", TheFirstQuarter());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var settlement = await ReadAsync(response);
        Assert.Equal(1, (int)settlement["version"]!);
        Assert.Equal(("2026-01-01", "2026-03-31", "EUR"), ((string)settlement["periodStart"]!, (string)settlement["periodEnd"]!, (string)settlement["currency"]!));
        Assert.Equal(60_000m, (decimal)settlement["promisedValue"]!);
        Assert.Equal(45_000m, (decimal)settlement["realizedValue"]!);
        Assert.Equal(0.75m, (decimal)settlement["performanceRatio"]!);
        Assert.Equal([0m, -750m, 0m], settlement["bands"]!.AsArray().Select(b => (decimal)b!["amount"]!));
        Assert.Equal(0.975m, (decimal)settlement["bands"]![1]!["from"]!);
        Assert.Equal(-750m, (decimal)settlement["unboundedVariableAmount"]!);
        Assert.Null(settlement["boundBy"]);
        Assert.Equal(-750m, (decimal)settlement["variableAmount"]!);
        Assert.Equal(100_000m, (decimal)settlement["feeBase"]!);
        Assert.Equal(99_250m, (decimal)settlement["fee"]!);
        Assert.Equal("calculated", (string)settlement["status"]!);
        Assert.Empty(settlement["provisionalBecause"]!.AsArray());
        Assert.Empty(settlement["exchangeRates"]!.AsArray());
        Assert.NotEmpty(settlement["explanation"]!.AsArray());

        var stored = await GetJsonAsync(response.Headers.Location!.ToString());
        Assert.Equal((string)settlement["id"]!, (string)stored["id"]!);
        Assert.Equal(99_250m, (decimal)stored["versions"]![0]!["fee"]!);
        var all = await GetJsonAsync($"{Commitment(accountId, commitmentId)}/settlements");
        Assert.Single(all["settlements"]!.AsArray());
        Assert.Equal((string)settlement["id"]!, (string)all["settlementPeriods"]![0]!["settlementId"]!);
    }

    [Fact]
    public async Task unconfirmed_measurements_make_it_provisional_and_a_correction_makes_a_second_version_beside_the_first()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        await AgreeAsync(accountId, commitmentId);
        var measurements = await RecordQuarterAsync(accountId, commitmentId, [90, 85, 80], confirm: false);
        App.Clock.Now = AfterTheFirstQuarter;
        var first = await ReadAsync(await PostAsync($"{Commitment(accountId, commitmentId)}/settlements", TheFirstQuarter()));
        Assert.Equal("provisional", (string)first["status"]!);
        Assert.Equal(measurements, first["provisionalBecause"]!.AsArray().Select(id => (Guid)id!));

        var correction = await PostAsync($"{Commitment(accountId, commitmentId)}/measurements/{measurements[1]}/corrections",
            new { value = 84, reason = "Meter misread", evidenceUrl = "https://erp.example/fix" });
        Assert.Equal(HttpStatusCode.Created, correction.StatusCode);

        var settlement = await EventuallyAsync($"{Commitment(accountId, commitmentId)}/settlements/{first["id"]}", s => (int)s["latestVersion"]! == 2);
        var versions = settlement["versions"]!.AsArray();
        Assert.Equal([45_000m, 46_000m], versions.Select(v => (decimal)v!["realizedValue"]!));
        Assert.Equal("system:settlement", (string)versions[1]!["calculatedBy"]!);
        Assert.Contains("corrected", (string)versions[1]!["reason"]!);
        Assert.False((bool)settlement["outdated"]!);

        var again = await PostAsync($"{Commitment(accountId, commitmentId)}/settlements", TheFirstQuarter());
        Assert.Equal(3, (int)(await ReadAsync(again))["version"]!);
    }

    [Fact]
    public async Task a_contract_in_another_currency_needs_the_rate_and_records_it()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        await AgreeAsync(accountId, commitmentId, BandedTerms(currency: "USD"));
        await RecordQuarterAsync(accountId, commitmentId, [90, 85, 80]);
        App.Clock.Now = AfterTheFirstQuarter;

        var withoutRate = await PostAsync($"{Commitment(accountId, commitmentId)}/settlements", TheFirstQuarter());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, withoutRate.StatusCode);
        Assert.Equal("Exchange rate needed", (string)(await ReadAsync(withoutRate))["title"]!);

        var response = await PostAsync($"{Commitment(accountId, commitmentId)}/settlements",
            TheFirstQuarter([new { from = "EUR", to = "USD", rate = 1.1m, source = "ECB reference rate", asOf = "2026-03-31" }]));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var settlement = await ReadAsync(response);
        Assert.Equal(("USD", "EUR"), ((string)settlement["currency"]!, (string)settlement["accountCurrency"]!));
        Assert.Equal((66_000m, 49_500m, 60_000m), ((decimal)settlement["promisedValue"]!, (decimal)settlement["realizedValue"]!, (decimal)settlement["promisedValueInAccountCurrency"]!));
        var rate = settlement["exchangeRates"]![0]!;
        Assert.Equal((1.1m, "ECB reference rate", "2026-03-31"), ((decimal)rate["rate"]!, (string)rate["source"]!, (string)rate["asOf"]!));
    }

    [Fact]
    public async Task bad_input_is_400_broken_rules_422_and_unknown_things_404()
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        var settlements = $"{Commitment(accountId, commitmentId)}/settlements";

        var noTerms = await PostAsync(settlements, TheFirstQuarter());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noTerms.StatusCode);
        Assert.Equal("No contract terms", (string)(await ReadAsync(noTerms))["title"]!);
        await AgreeAsync(accountId, commitmentId);

        var bad = await PostAsync(settlements, new { periodEnd = "2026-03-31", exchangeRates = new[] { new { from = "EUR", to = "EUR", rate = 0m } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var keys = ErrorKeys(await ReadAsync(bad));
        Assert.Contains("periodstart", keys);
        Assert.Contains("exchangerates[0].rate", keys);
        Assert.Contains("exchangerates[0].source", keys);
        Assert.Contains("exchangerates[0].to", keys);
        var nullRate = await PostAsync(settlements, new { periodStart = "2026-01-01", periodEnd = "2026-03-31", exchangeRates = new object?[] { null } });
        Assert.Contains("exchangerates[0]", ErrorKeys(await ReadAsync(nullRate)));

        var notOver = await PostAsync(settlements, TheFirstQuarter());
        Assert.Equal("Period not over", (string)(await ReadAsync(notOver))["title"]!);
        App.Clock.Now = AfterTheFirstQuarter;
        var notAPeriod = await PostAsync(settlements, new { periodStart = "2026-01-01", periodEnd = "2026-01-31" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notAPeriod.StatusCode);
        Assert.Contains("2026-01-01..2026-03-31", (string)(await ReadAsync(notAPeriod))["detail"]!);

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync($"{Commitment(accountId, Guid.NewGuid())}/settlements", TheFirstQuarter())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"{settlements}/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"{Commitment(accountId, Guid.NewGuid())}/settlements")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await App.ClientFor(Roles.Customer, "jane", accountId).PostAsJsonAsync(settlements, TheFirstQuarter())).StatusCode);
        Assert.Empty((await GetJsonAsync(settlements))["settlements"]!.AsArray());
    }
}

public sealed class when_the_customer_certifies_or_disputes_a_settlement(AppFixture app) : OutcomeContext(app)
{
    private async Task<(Guid AccountId, Guid CommitmentId, string Route)> SettledQuarterAsync(bool confirmed = true)
    {
        var (accountId, commitmentId) = await OpenOutcomeCommitmentAsync();
        await AgreeAsync(accountId, commitmentId);
        await RecordQuarterAsync(accountId, commitmentId, [90, 85, 80], confirmed);
        App.Clock.Now = AfterTheFirstQuarter;
        var response = await PostAsync($"{Commitment(accountId, commitmentId)}/settlements", TheFirstQuarter());
        return (accountId, commitmentId, response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task the_customer_certifies_a_settlement_of_its_own_account_once()
    {
        var (accountId, _, route) = await SettledQuarterAsync();
        var (otherAccount, _) = await OpenOutcomeCommitmentAsync();
        Assert.Equal(HttpStatusCode.Forbidden,
            (await App.ClientFor(Roles.Customer, "someone", otherAccount).PostAsJsonAsync($"{route}/certification", new { certifiedBy = "X" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await App.ClientFor(Roles.Executive).PostAsJsonAsync($"{route}/certification", new { certifiedBy = "X" })).StatusCode);

        var customer = App.ClientFor(Roles.Customer, "jane@buyer.example", accountId);
        var response = await customer.PostAsJsonAsync($"{route}/certification", new { certifiedBy = "Jane Buyer", comment = "Matches our books", version = 1 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var settlement = await GetJsonAsync(route);
        Assert.Equal("certified", (string)settlement["status"]!);
        Assert.Equal("jane@buyer.example", (string)settlement["versions"]![0]!["verdict"]!["by"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await customer.PostAsJsonAsync($"{route}/certification", new { certifiedBy = "Jane Buyer" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await customer.PostAsJsonAsync($"{route}/certification", new { comment = "who?", version = 0 })).StatusCode);
    }

    [Fact]
    public async Task a_provisional_settlement_is_not_certified_and_says_why()
    {
        var (accountId, _, route) = await SettledQuarterAsync(confirmed: false);
        var response = await App.ClientFor(Roles.Customer, "Jane Buyer", accountId).PostAsJsonAsync($"{route}/certification", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(3, (await ReadAsync(response))["provisionalBecause"]!.AsArray().Count);
    }

    [Fact]
    public async Task a_dispute_is_recorded_and_blocks_certification()
    {
        var (accountId, commitmentId, route) = await SettledQuarterAsync();
        var customer = App.ClientFor(Roles.Customer, "jane@buyer.example", accountId);
        Assert.Equal(HttpStatusCode.BadRequest, (await customer.PostAsJsonAsync($"{route}/dispute", new { disputedBy = "Jane Buyer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created,
            (await customer.PostAsJsonAsync($"{route}/dispute", new { disputedBy = "Jane Buyer", reason = "The pilot line is included" })).StatusCode);

        var settlement = await GetJsonAsync(route);
        Assert.Equal("disputed", (string)settlement["status"]!);
        Assert.Equal("The pilot line is included", (string)settlement["versions"]![0]!["verdict"]!["comment"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await customer.PostAsJsonAsync($"{route}/certification", new { certifiedBy = "Jane Buyer" })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await customer.PostAsJsonAsync($"{route}/dispute", new { disputedBy = "Jane", reason = "again" })).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await PostAsync($"{Commitment(accountId, commitmentId)}/settlements", TheFirstQuarter())).StatusCode);
        var superseded = await customer.PostAsJsonAsync($"{route}/certification", new { certifiedBy = "Jane Buyer", version = 1 });
        Assert.Equal(HttpStatusCode.Conflict, superseded.StatusCode);
        Assert.Equal(2, (int)(await ReadAsync(superseded))["latestVersion"]!);
        Assert.Equal(HttpStatusCode.Created, (await customer.PostAsJsonAsync($"{route}/certification", new { certifiedBy = "Jane Buyer", version = 2 })).StatusCode);
        var versions = (await GetJsonAsync(route))["versions"]!.AsArray();
        Assert.Equal(["disputed", "certified"], versions.Select(v => (string)v!["status"]!));
        Assert.Equal(HttpStatusCode.NotFound,
            (await customer.PostAsJsonAsync($"{Commitment(accountId, commitmentId)}/settlements/{Guid.NewGuid()}/dispute", new { disputedBy = "J", reason = "r" })).StatusCode);
    }
}
