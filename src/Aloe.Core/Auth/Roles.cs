namespace Aloe.Core.Auth;

/// <summary>The app's roles: Admin and Researcher run and see everything; an Annotator sees only their own items.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Researcher = "Researcher";
    public const string Annotator = "Annotator";
    public static readonly string[] All = [Admin, Researcher, Annotator];
}
