using System.ComponentModel.DataAnnotations;

namespace MailSync.Shared.Diagnostics;

/// <summary>
/// Configuration section <c>Dashboard</c>: Orleans Dashboard. Every silo collects its figures; the API host serves it at
/// <c>/dashboard</c> (the operator only outside Development); the silo host serves it only when <see cref="Port"/> is set,
/// and then on 127.0.0.1 alone (reached through an SSH tunnel or a port-forward, so no credential of its own).
/// </summary>
public sealed class DashboardSettings
{
    public const string Section = "Dashboard";

    public const string Path = "/dashboard";

    /// <summary>Off: no silo collects figures and no host serves the dashboard (every host of a cluster should agree).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Silo host only: the loopback port of its dashboard; unset, the silo host runs no web server.</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    /// <summary>API host: whether <c>/dashboard</c> needs the operator's token; unset means yes outside Development.</summary>
    public bool? RequireAuthorization { get; set; }

    public bool RequiresAuthorization(bool isDevelopment) => RequireAuthorization ?? !isDevelopment;
}
