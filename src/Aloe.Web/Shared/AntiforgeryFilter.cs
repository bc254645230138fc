using Microsoft.AspNetCore.Antiforgery;

namespace Aloe.Web.Shared;

/// <summary>
/// Validates the antiforgery token of state-changing htmx requests (site.js sends it in a
/// header taken from the page's csrf-token meta tag).
/// </summary>
public sealed class AntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public const string HeaderName = "X-CSRF-TOKEN";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(context.HttpContext);
        }
        catch (AntiforgeryValidationException)
        {
            return TypedResults.Problem("The form has expired; reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
        }
        return await next(context);
    }
}

public static class AntiforgeryFilterExtensions
{
    public static TBuilder RequireAntiforgeryToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, AntiforgeryFilter>();
}
