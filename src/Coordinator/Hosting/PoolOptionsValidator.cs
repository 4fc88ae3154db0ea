using Microsoft.Extensions.Options;

namespace ClusterPool.Hosting;

/// <summary>
/// Checks a hosted pool's <see cref="PoolOptions"/> as <see cref="Pool.Start"/> would (<see cref="PoolOptionsRules"/>),
/// all problems at once: with <c>ValidateOnStart</c> a bad setting fails the host's start with an
/// <see cref="OptionsValidationException"/> naming it, before any worker process starts.
/// </summary>
internal sealed class PoolOptionsValidator : IValidateOptions<PoolOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PoolOptions options)
    {
        var problems = PoolOptionsRules.Problems(options).Select(problem => problem.Description).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
