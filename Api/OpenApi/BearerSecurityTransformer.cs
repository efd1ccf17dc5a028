using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MailSync.Api.OpenApi;

/// <summary>
/// Declares the JWT bearer scheme and requires it for every operation of the document except the anonymous ones (the
/// Google callback, which a browser reaches without a token).
/// </summary>
public sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT with claims sub, company and role (one of the six CRM roles), or scope mailsync.operator.",
        };
        var anonymous = context.DescriptionGroups.SelectMany(g => g.Items)
            .Where(d => d.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
            .Select(d => ("/" + d.RelativePath?.TrimStart('/'), d.HttpMethod?.ToUpperInvariant()))
            .ToHashSet();
        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] };
        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                // An empty list says "no credential" explicitly (linters want every operation's security defined).
                operation.Security ??= [];
                if (!anonymous.Contains((path, method.Method.ToUpperInvariant()))) operation.Security.Add(requirement);
            }
        }
        return Task.CompletedTask;
    }
}
