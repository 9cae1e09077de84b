using FluentValidation;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using ValueLedger.Api.Features.Contacts;
using ValueLedger.Api.Infrastructure;
using ValueLedger.Domain;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace ValueLedger.Api.Features.Verification;

/// <summary>An optional note to the approvers; who asks is the signed-in staff member.</summary>
public sealed record ConfirmationRequestRequest(string? Message);

public sealed class ConfirmationRequestValidator : AbstractValidator<ConfirmationRequestRequest>
{
    public ConfirmationRequestValidator() => RuleFor(r => r.Message).MaximumLength(2000);
}

public sealed record Approver(string Name, string Email);

public sealed record RequestConfirmationCommand(Guid AccountId, Guid CommitmentId, Guid MeasurementId, IReadOnlyList<Approver> Approvers,
    string? Message, string PortalUrl, long? ExpectedVersion, string By) : IAccountCommand;

/// <summary>What the e-mails of a recorded request say: one to each approver.</summary>
public sealed record SendConfirmationRequestMails(Guid AccountId, Guid CommitmentId, Guid MeasurementId, IReadOnlyList<Approver> Approvers,
    string? Message, string PortalUrl, string By);

public static class RequestConfirmationEndpoint
{
    /// <summary>
    /// Customer success asks the account's approver contacts (invited or signed in, not revoked) to confirm a
    /// measurement: a <c>MeasurementConfirmationRequested</c> event names them and who asked, then each gets an e-mail.
    /// 422 when the figure is already confirmed or the account has no approver.
    /// </summary>
    [Authorize(Policy = Policies.WriteValues)]
    [WolverinePost("/api/accounts/{accountId}/commitments/{commitmentId}/measurements/{measurementId}/confirmation-request", Name = "RequestMeasurementConfirmation")]
    public static async Task<IResult> Post(Guid accountId, Guid commitmentId, Guid measurementId, ConfirmationRequestRequest r, HttpContext http,
        IMessageBus bus, IQuerySession session, IOptions<ContactSettings> settings, ContactMailer mailer)
    {
        var contacts = await session.Query<CustomerContact>().Where(c => c.Memberships.Any(m => m.AccountId == accountId))
            .OrderBy(c => c.Email).ToListAsync(http.RequestAborted);
        var approvers = contacts.Where(c => c.On(accountId) is { Role: ContactRoles.Approver, State: not ContactState.Revoked })
            .Select(c => new Approver(c.Name, c.Email)).ToList();
        var baseUrl = settings.Value.PublicUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        var portal = $"{baseUrl}/#/accounts/{accountId}/verify";
        // As with invitations: the request is recorded first, and only a recorded request sends its e-mails.
        return await bus.WriteAsync<Written>(http, (expected, by) => new RequestConfirmationCommand(accountId, commitmentId, measurementId, approvers,
                r.Message, portal, expected, by),
            new CreatedResource(measurementId, Routes.Measurement(accountId, commitmentId, measurementId)),
            async (written, resource) =>
            {
                if (written.Rejection is null)
                    await SendConfirmationRequestMailsMailer.SendAsync(new SendConfirmationRequestMails(accountId, commitmentId, measurementId, approvers,
                        Text.OrNull(r.Message), portal, CurrentUser.NameOf(http.User)), session, mailer, http.RequestAborted);
                return written.ToResult(http, resource!.Location, new Created(resource.Id, written.Version));
            });
    }
}

public static class RequestConfirmationHandler
{
    public static Written Handle(RequestConfirmationCommand c, [WriteAggregate(Required = false)] IEventStream<Account> stream, TimeProvider clock) =>
        stream.Decide(c.ExpectedVersion, account => VerificationDecisions.RequestConfirmation(account, c.CommitmentId, c.MeasurementId,
            c.Approvers.Select(a => a.Email).ToList(), c.Message, c.By, clock.GetUtcNow()));
}

public static class SendConfirmationRequestMailsMailer
{
    public static async Task SendAsync(SendConfirmationRequestMails m, IQuerySession session, ContactMailer mailer, CancellationToken cancellation)
    {
        var account = await session.LoadAsync<Account>(m.AccountId, cancellation);
        var commitment = account?.FindCommitment(m.CommitmentId);
        var measurement = commitment?.FindMeasurement(m.MeasurementId);
        if (account is null || commitment is null || measurement is null) return;
        foreach (var approver in m.Approvers)
        {
            var text = $"""
                Hello {approver.Name},

                {m.By} asks you to confirm a figure for {account.Name} in ValueLedger:
                {commitment.Metric}, {measurement.PeriodStart:yyyy-MM-dd} to {measurement.PeriodEnd:yyyy-MM-dd}: {measurement.Value} {commitment.Unit}.
                {(m.Message is { Length: > 0 } note ? $"\n{note}\n" : "")}
                Confirm or dispute it here (sign in with your latest sign-in link first; if it has expired, ask for a new one):
                {m.PortalUrl}
                """;
            await mailer.SendAsync(approver.Name, approver.Email, $"Please confirm: {commitment.Metric} for {account.Name}", text, cancellation);
        }
    }
}
