using System.Reflection;
using System.Reflection.Emit;

namespace ClusterPool.Calls;

/// <summary>
/// The instructions of a method body's IL, each with where its operand lies: for the readers that look inside a
/// function (<see cref="Checkpoints.MethodFingerprint"/>, and the captured-variable check of
/// <see cref="FunctionReference"/>).
/// </summary>
internal static class IlInstructions
{
    /// <summary>One instruction: its opcode and its operand's offset in the IL.</summary>
    public readonly record struct Instruction(OpCode Code, int OperandAt);

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    /// <summary>The instructions of <paramref name="il"/>; null when it holds an opcode this reader does not
    /// know.</summary>
    public static List<Instruction>? Read(byte[] il)
    {
        var instructions = new List<Instruction>();
        var at = 0;
        while (at < il.Length)
        {
            short value = il[at++];
            if (value == 0xFE && at < il.Length) value = unchecked((short)(0xFE00 | il[at++]));
            if (!OpCodesByValue.TryGetValue(value, out var code)) return null;
            instructions.Add(new Instruction(code, at));
            at += OperandSize(code.OperandType, il, at);
        }
        return instructions;
    }

    /// <summary>The size of an operand of <paramref name="type"/> at <paramref name="at"/>.</summary>
    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4, // tokens, InlineBrTarget, InlineI, ShortInlineR
    };
}
