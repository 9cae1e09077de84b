// The namespaces nearly every feature slice uses: the domain, the shared web plumbing, Marten, Wolverine and validation.
global using FluentValidation;
global using JasperFx.Events;
global using Marten;
global using Microsoft.AspNetCore.Authorization;
global using ValueLedger.Api.Infrastructure;
global using ValueLedger.Domain;
global using Wolverine;
global using Wolverine.Http;
