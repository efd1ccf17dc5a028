using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailSync.Shared.Configuration;

/// <summary>
/// The one way options are configured: bound from their section, checked with data annotations (and
/// <see cref="IValidatableObject"/>) when the host starts, so a bad value stops the host with a message naming the key.
/// </summary>
public static class ValidatedOptions
{
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

    /// <summary>
    /// The same options read while the host is being built, for the few choices that shape the host itself (which
    /// storage providers, which ports); validated the same way, failing right away.
    /// </summary>
    public static T Read<T>(IConfiguration configuration, string section) where T : class, new()
    {
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
            throw new OptionsValidationException(section, typeof(T), problems.Select(p => $"{section}: {p.ErrorMessage}"));
        return options;
    }
}
