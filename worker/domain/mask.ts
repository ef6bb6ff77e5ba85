// Masks for public lookups: 张三丰 → 张*丰, 张三 → 张*, 13812341234 → 138****1234.
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

export function maskWechat(wechat: string): string {
  if (wechat.length <= 2) return '*'.repeat(wechat.length);
  return `${wechat[0]}${'*'.repeat(wechat.length - 2)}${wechat[wechat.length - 1]}`;
}
