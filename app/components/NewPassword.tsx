import { z } from "zod";
import { Field } from "./forms";

/** The rules of a password someone chooses (accepting an invitation, through a password link). */
const minLength = 10;

export const newPasswordFields = {
  password: z
    .string({ error: "Choose a password." })
    .min(minLength, `Choose a password of at least ${minLength} characters.`)
    .max(1000, "That password is too long."),
  confirm: z.string({ error: "Type the password again." }),
};

/** Typed twice, alike. */
export const typedTwice = <T extends { password: string; confirm: string }>(schema: z.ZodType<T>) =>
  schema.refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords differ. Type the same password twice." });

/** The password and its repetition, as the form asks for them. */
export function NewPasswordFields({ label, errors }: { label: string; errors: { password?: string[]; confirm?: string[] } }) {
  return (
    <>
      <Field
        label={label}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={minLength}
        hint={`At least ${minLength} characters.`}
        errors={errors.password}
      />
      <Field
        label={`${label} again`}
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        minLength={minLength}
        errors={errors.confirm}
      />
    </>
  );
}
