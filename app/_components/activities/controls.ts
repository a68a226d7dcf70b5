// The host console's button and field styles, shared by every activity's controls.
export const button = "h-12 rounded-xl px-4 text-lg font-semibold disabled:opacity-50";
export const primary = `${button} bg-hat-400 text-ink hover:bg-hat-300`;
export const secondary = `${button} border-2 border-slate-500 hover:border-hat-400`;
export const inputCls = "w-full rounded-xl border-2 border-slate-600 bg-slate-900 px-3 py-2 text-lg";
export const panel = "space-y-4 rounded-2xl border-2 border-slate-700 p-5";
