using Aloe.Core.Audit;
using Aloe.Core.Annotation;
using Aloe.Core.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Aloe.Web.Auth;

/// <summary>Sign-in, sign-out and accepting an invite: form posts from the static account pages (a cookie can only be set on an HTTP response, not over a circuit).</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccount(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account");
        account.MapPost("/login", LoginAsync);
        account.MapPost("/logout", LogoutAsync);
        account.MapPost("/invite/{token}", AcceptInviteAsync);
        return app;
    }

    static async Task<IResult> LoginAsync(SignInManager<IdentityUser> signIn, [FromForm] string userName, [FromForm] string password, [FromForm] string? returnUrl)
    {
        var result = await signIn.PasswordSignInAsync(userName.Trim(), password, isPersistent: true, lockoutOnFailure: true);
        var back = LocalUrl(returnUrl);
        return result.Succeeded
            ? TypedResults.LocalRedirect(back)
            : TypedResults.LocalRedirect($"/account/login?failed=1&returnUrl={Uri.EscapeDataString(back)}");
    }

    static async Task<IResult> LogoutAsync(SignInManager<IdentityUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect("/account/login");
    }

    /// <summary>Creates the annotator's account (role Annotator), enrols them in the campaign, uses up the invite and signs them in.</summary>
    static async Task<IResult> AcceptInviteAsync(string token, [FromForm] string password, AnnotationInvites invites, AnnotationService annotation,
        UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn, AuditLog audit)
    {
        var invite = await invites.FindValidAsync(token);
        if (invite is null)
            return TypedResults.LocalRedirect($"/invite/{Uri.EscapeDataString(token)}?error=expired");
        var user = new IdentityUser($"{invite.Name}.c{invite.CampaignId}");
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            return TypedResults.LocalRedirect($"/invite/{Uri.EscapeDataString(token)}?error={Uri.EscapeDataString(string.Join(" ", created.Errors.Select(e => e.Description)))}");
        if (!await invites.UseAsync(invite.Id))
        {
            await users.DeleteAsync(user);
            return TypedResults.LocalRedirect($"/invite/{Uri.EscapeDataString(token)}?error=expired");
        }
        await users.AddToRoleAsync(user, Roles.Annotator);
        // Nobody is signed in yet: the account made its own entry, from the researcher's invite.
        AuditActor.Current = user.UserName;
        await audit.RecordAsync(AuditActions.CreateUser, AuditTargets.User, user.UserName, $"{Roles.Annotator}, from invite {invite.Id} of campaign {invite.CampaignId}");
        var annotator = await annotation.AddAnnotatorAsync(invite.CampaignId, invite.Name, user.Id);
        await signIn.SignInAsync(user, isPersistent: true);
        return TypedResults.LocalRedirect($"/annotate/{annotator.Id}");
    }

    static string LocalUrl(string? url) => !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) ? url : "/";
}
