using Aloe.Core.Auth;
using Aloe.Web.Components.Layout;
using Aloe.Web.Tests.Support;
using Bunit;

namespace Aloe.Web.Tests.Auth;

public sealed class NavMenuTests : MudComponentTest
{
    [Fact]
    public void AnAnnotatorSeesOnlyTheirAssignmentsAndSignOut()
    {
        AddAuthorization().SetAuthorized("ada.c1").SetRoles(Roles.Annotator);

        var nav = Render<NavMenu>();

        var links = nav.FindAll("a.mud-nav-link").Select(a => (a.TextContent.Trim(), a.GetAttribute("href"))).ToList();
        Assert.Equal([("My assignments", "/annotate")], links);
        Assert.NotNull(nav.Find("#sign-out"));
    }

    [Theory]
    [InlineData(Roles.Researcher)]
    [InlineData(Roles.Admin)]
    public void AResearcherSeesEveryPage(string role)
    {
        AddAuthorization().SetAuthorized("rita").SetRoles(role);

        var nav = Render<NavMenu>();

        var hrefs = nav.FindAll("a.mud-nav-link").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("/personas", hrefs);
        Assert.Contains("/jobs", hrefs);
        Assert.DoesNotContain("/annotate", hrefs);
        Assert.Empty(nav.FindAll("#annotator-nav"));
    }
}
