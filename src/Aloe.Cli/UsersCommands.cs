using Aloe.Core.Audit;
using System.CommandLine;
using Aloe.Core.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Cli;

/// <summary>`aloe users add`: accounts for a lab server, where nobody is the local admin (the first Admin comes from here).</summary>
internal static class UsersCommands
{
    public const string PasswordVariable = "ALOE_PASSWORD";

    public static Command Create(IServiceProvider services)
    {
        var name = new Argument<string>("name") { Description = "User name" };
        var role = new Option<string>("--role") { Description = "Admin, Researcher or Annotator", DefaultValueFactory = _ => Roles.Researcher };
        role.AcceptOnlyFromAmong(Roles.All);
        var add = new Command("add", $"Create an account; the password is read from {PasswordVariable} or else the first line of standard input") { name, role };
        add.SetAction(async (parse, cancellationToken) =>
        {
            var password = Environment.GetEnvironmentVariable(PasswordVariable) ?? Console.In.ReadLine();
            if (string.IsNullOrEmpty(password))
            {
                Console.Error.WriteLine($"Give a password in {PasswordVariable} or on standard input.");
                return 1;
            }
            await using var scope = services.CreateAsyncScope();
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var r in Roles.All)
                if (!await roles.RoleExistsAsync(r))
                    await roles.CreateAsync(new IdentityRole(r));
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = new IdentityUser(parse.GetValue(name)!.Trim());
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                Console.Error.WriteLine(string.Join(" ", created.Errors.Select(e => e.Description)));
                return 1;
            }
            await users.AddToRoleAsync(user, parse.GetValue(role)!);
            await services.GetRequiredService<AuditLog>().RecordAsync(AuditActions.CreateUser, AuditTargets.User, user.UserName, parse.GetValue(role), cancellationToken);
            Console.WriteLine($"Created {user.UserName} ({parse.GetValue(role)}).");
            return 0;
        });
        return new Command("users", "Accounts that sign in to the web app") { add };
    }
}
