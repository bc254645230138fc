using Microsoft.AspNetCore.Http.Json;

namespace Aloe.Web.Hosting;

/// <summary>
/// Errors a client can act on, said in RFC 7807 problem details: a query value that is not a
/// number (`?runs=abc`), a body that is not JSON or has the wrong content type, an unknown id.
/// Pages keep their own error and not-found pages; the JSON API never answers with them.
/// </summary>
public static class ApiProblems
{
    public static IHostApplicationBuilder AddApiProblems(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        // Binding failures throw (instead of a bare 400), so that the reason reaches the client below.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    /// <summary>
    /// Status-code pages for pages only; an empty error response under /api gets a problem body,
    /// and a request the framework could not bind (400, or 415 for a wrong content type) a
    /// problem naming the parameter.
    /// </summary>
    public static WebApplication UseApiProblems(this WebApplication app)
    {
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use(async (context, next) =>
        {
            if (!IsApi(context))
            {
                await next(context);
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
                await TypedResults.Problem(detail: e.Message, statusCode: e.StatusCode, title: e.StatusCode == StatusCodes.Status415UnsupportedMediaType
                    ? "Unsupported content type" : "Bad request").ExecuteAsync(context);
                return;
            }
            if (context.Response is { StatusCode: >= 400, HasStarted: false, ContentLength: null } && string.IsNullOrEmpty(context.Response.ContentType))
                await TypedResults.Problem(statusCode: context.Response.StatusCode, detail: context.Response.StatusCode switch
                {
                    StatusCodes.Status404NotFound => $"Nothing exists at {context.Request.Path}.",
                    StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
                    StatusCodes.Status415UnsupportedMediaType => $"Send the body as JSON (Content-Type: application/json), not {context.Request.ContentType ?? "no content type"}.",
                    _ => null,
                }).ExecuteAsync(context);
        });
        return app;
    }
}
