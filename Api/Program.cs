using MailSync.Api.Auth;
using MailSync.Api.Extensions;
using MailSync.Shared.Configuration;

var builder = WebApplication.CreateBuilder(args);
if (args.FirstOrDefault() == "token") return DevelopmentTokens.Run(args, builder.Configuration, builder.Environment);

builder.AddMailSyncApi();

var app = builder.Build();
app.MapMailSyncApi();

// Settings refused at start (a bad value, a development setting in a real deployment) end it with exit code 1.
return await app.RunOrRefuseAsync("MailSync API");

/// <summary>Entry point, visible to the tests that host the API.</summary>
public partial class Program;
