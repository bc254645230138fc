using Microsoft.AspNetCore.Http.Json;

namespace Aloe.Web.Hosting;

/// <summary>
/// Errors a client can act on, said in RFC 7807 problem details: a query value that is not a
/// number (`?runs=abc`), a body that is not JSON or has the wrong content type, an unknown id.
/// Pages keep their own error and not-found pages; the JSON API never answers with them.
/// </summary>
public static class ApiProblems
{
    /// <summary>Largest upload (a persona file on the web); bigger files go through the CLI, which has no limit.</summary>
    public const string MaxUploadSetting = "Web:MaxUploadBytes";
    const long DefaultMaxUpload = 64L * 1024 * 1024;

    public static long MaxUpload(IConfiguration configuration) => configuration.GetValue<long?>(MaxUploadSetting) ?? DefaultMaxUpload;

    /// <summary>Not a blank failure: what the limit is and where bigger files go.</summary>
    public static string TooLargeMessage(long limit, string command) =>
        $"The upload is larger than the limit of {(limit >= 1024 * 1024 ? $"{limit / (1024.0 * 1024):0.#} MB" : $"{limit / 1024.0:0.#} KB")}. " +
        $"Import bigger files with the command line ({command}), which has no limit, or raise {MaxUploadSetting}.";

    public static IHostApplicationBuilder AddApiProblems(this IHostApplicationBuilder builder)
    {
        var limit = MaxUpload(builder.Configuration);
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = limit);
        // The whole request may hold the form fields besides the file.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = limit + 1024 * 1024);
        builder.Services.AddProblemDetails();
        // Binding failures throw (instead of a bare 400), so that the reason reaches the client below.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }

    // Kestrel's body limit (413), or the form reader's multipart limit (InvalidDataException, wrapped by binding).
    static bool TooLarge(Exception e) =>
        e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
        || e.GetBaseException() is InvalidDataException data && data.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
        || e.GetBaseException() is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge };

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    /// <summary>
    /// Status-code pages for pages only; an empty error response under /api gets a problem body,
    /// and a request the framework could not bind a 400 problem naming the parameter. A wrong
    /// content type is a 400 too (the framework's 415), as the audit asked: one status for "fix
    /// your request", with the content type to send in the detail.
    /// </summary>
    public static WebApplication UseApiProblems(this WebApplication app)
    {
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        var limit = MaxUpload(app.Configuration);
        app.Use(async (context, next) =>
        {
            if (!IsApi(context))
            {
                try
                {
                    await next(context);
                }
                catch (Exception e) when (!context.Response.HasStarted && TooLarge(e))
                {
                    // Not a blank 400: say what the limit is and where bigger files go.
                    context.Response.Clear();
                    context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                    await context.Response.WriteAsync(TooLargeMessage(limit, "aloe personas import --kind KIND FILE"));
                }
                return;
            }
            if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
                pages.Enabled = false;
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await (e.StatusCode == StatusCodes.Status415UnsupportedMediaType ? WrongContentType(context)
                    : TypedResults.Problem(detail: e.Message, statusCode: e.StatusCode, title: "Bad request")).ExecuteAsync(context);
                return;
            }
            if (context.Response is { StatusCode: >= 400, HasStarted: false, ContentLength: null } && string.IsNullOrEmpty(context.Response.ContentType))
                await (context.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType ? WrongContentType(context)
                    : TypedResults.Problem(statusCode: context.Response.StatusCode, detail: context.Response.StatusCode switch
                    {
                        StatusCodes.Status404NotFound => $"Nothing exists at {context.Request.Path}.",
                        StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
                        _ => null,
                    })).ExecuteAsync(context);
        });
        return app;
    }

    static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult WrongContentType(HttpContext context) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest, title: "Unsupported content type",
        detail: $"Send the body as JSON (Content-Type: application/json), not {context.Request.ContentType ?? "no content type"}.");
}
