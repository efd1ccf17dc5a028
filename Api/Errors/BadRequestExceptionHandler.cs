using System.Text.Json;
using MailSync.Api.Validation;
using Microsoft.AspNetCore.Diagnostics;

namespace MailSync.Api.Errors;

/// <summary>
/// Turns what the framework refuses while reading a request (malformed JSON, a value of the wrong type, a body
/// over the limit) into problem details that name the field, instead of a bare status code.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = 413,
                    Title = "The request body is too large.",
                    Detail = "Bodies are limited to 64 KiB; nothing was changed.",
                },
            });
        }

        var json = FindJsonException(bad);
        var field = json?.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
        var message = json is null ? "is missing or not JSON." : "is not valid JSON for this field (wrong type or malformed).";
        await RequestErrors.Problem(field, message).ExecuteAsync(context);
        return true;
    }

    private static JsonException? FindJsonException(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is JsonException json) return json;
        }
        return null;
    }
}
