using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MailSync.Api.OpenApi;

/// <summary>
/// What client generators and linters expect of the document beyond the endpoints' own metadata: the tags declared
/// with descriptions (<see cref="ApiTags"/>), a title and description, and server URLs without a trailing slash (a
/// generator joins them with paths that start with one).
/// </summary>
public sealed class DocumentShapeTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "MailSync API";
        document.Info.Description = "Connects CRM users' mailboxes and puts every email exchanged with a lead on the lead's timeline.";
        // Not open source: SPDX's form for a licence of one's own.
        document.Info.License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-MailSync-Proprietary" };
        // Ours first, in their order, then any tag an endpoint declared that ApiTags does not know (it keeps no description).
        var tags = ApiTags.All.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }).ToList();
        tags.AddRange((document.Tags ?? Enumerable.Empty<OpenApiTag>()).Where(t => tags.All(known => known.Name != t.Name)));
        document.Tags = new HashSet<OpenApiTag>(tags);
        foreach (var server in document.Servers ?? [])
        {
            if (server.Url is { Length: > 1 } url && url.EndsWith('/')) server.Url = url.TrimEnd('/');
        }
        return Task.CompletedTask;
    }
}
