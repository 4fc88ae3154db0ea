using System.Reflection;
using System.Reflection.Emit;
using System.Security.Cryptography;
using System.Text;

namespace ClusterPool.Checkpoints;

/// <summary>
/// What a method's body does, as a short hash that survives a rebuild: its IL with every metadata token replaced by the
/// name it stands for (a token's number moves when other code is added; the member it names does not), and its locals'
/// types. A lambda's name is the compiler's numbering (<c>&lt;Main&gt;b__0_1</c>), which another lambda added above it
/// takes over: the checkpoint tells two lambdas apart by this.
/// </summary>
internal static class MethodFingerprint
{
    /// <summary>The fingerprint of <paramref name="method"/>'s body: 16 hex digits; empty for a method without
    /// IL.</summary>
    public static string Of(MethodInfo method)
    {
        if (method.GetMethodBody() is not { } body || body.GetILAsByteArray() is not { } il) return "";
        if (Calls.IlInstructions.Read(il) is not { } instructions) return Hash(il); // not IL we know: the raw bytes
        var text = new StringBuilder();
        foreach (var local in body.LocalVariables) text.Append(local.LocalType.FullName).Append(';');
        foreach (var (code, at) in instructions)
        {
            text.Append(code.Name).Append(' ');
            Operand(method, code.OperandType, il, at, text);
            text.Append('\n');
        }
        return Hash(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>Appends the operand at <paramref name="at"/>, a token by what it names.</summary>
    private static void Operand(MethodInfo method, OperandType type, byte[] il, int at, StringBuilder text)
    {
        switch (type)
        {
            case OperandType.InlineNone: return;
            case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                text.Append(il[at]);
                return;
            case OperandType.InlineVar:
                text.Append(BitConverter.ToUInt16(il, at));
                return;
            case OperandType.InlineI8 or OperandType.InlineR:
                text.Append(BitConverter.ToInt64(il, at));
                return;
            case OperandType.InlineSwitch:
                var targets = BitConverter.ToInt32(il, at);
                for (var i = 0; i <= targets; i++) text.Append(BitConverter.ToInt32(il, at + 4 * i)).Append(',');
                return;
            case OperandType.InlineString or OperandType.InlineMethod or OperandType.InlineField
                or OperandType.InlineType or OperandType.InlineTok or OperandType.InlineSig:
                text.Append(Named(method, type, BitConverter.ToInt32(il, at)));
                return;
            default: // InlineBrTarget, InlineI, ShortInlineR
                text.Append(BitConverter.ToInt32(il, at));
                return;
        }
    }

    /// <summary>What a token names; its number when it cannot be resolved.</summary>
    private static string Named(MethodInfo method, OperandType type, int token)
    {
        var module = method.Module;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring
            ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        try
        {
            return type switch
            {
                OperandType.InlineString => "\"" + module.ResolveString(token) + "\"",
                OperandType.InlineSig => Convert.ToHexString(module.ResolveSignature(token)),
                _ => module.ResolveMember(token, typeArguments, methodArguments) switch
                {
                    Type named => named.FullName ?? named.Name,
                    MemberInfo member => $"{member.DeclaringType?.FullName}::{member}",
                    _ => token.ToString(),
                },
            };
        }
        catch (ArgumentException) { return token.ToString(); }
    }

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes))[..16];
}
