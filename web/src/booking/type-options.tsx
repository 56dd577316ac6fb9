/** The options of a resource-type select: "any" first, then each type. */
export function TypeOptions({ types, anyLabel }: { types: string[]; anyLabel: string }) {
  return (
    <>
      <option value="">{anyLabel}</option>
      {types.map((t) => (
        <option key={t} value={t}>
          {t}
        </option>
      ))}
    </>
  );
}
