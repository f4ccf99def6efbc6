/** Market profiles decide which calendar a symbol follows. */
export const PROFILES = ["crypto", "equity", "futures", "forex"] as const;
export type Profile = (typeof PROFILES)[number];

const EXCHANGE_PROFILE: Record<string, Profile> = {};
const GROUPS: Record<Profile, string[]> = {
  crypto: ["BINANCE", "BINANCEUS", "COINBASE", "KRAKEN", "OKX", "BYBIT", "BITGET", "KUCOIN", "BITSTAMP", "GEMINI", "BITFINEX", "HUOBI", "HTX", "GATEIO", "MEXC", "CRYPTO", "CRYPTOCAP", "DERIBIT", "BITMEX"],
  equity: ["NYSE", "NASDAQ", "AMEX", "ARCA", "BATS", "NYSEARCA", "CBOE", "OTC"],
  futures: ["CME", "CME_MINI", "CBOT", "CBOT_MINI", "NYMEX", "COMEX", "ICEUS"],
  forex: ["FX", "FX_IDC", "OANDA", "FXCM", "FOREXCOM", "SAXO", "PEPPERSTONE"],
};
for (const [profile, exchanges] of Object.entries(GROUPS) as [Profile, string[]][]) {
  for (const ex of exchanges) EXCHANGE_PROFILE[ex] = profile;
}

/** True when `s` names a profile. */
export function isProfile(s: string): s is Profile {
  return (PROFILES as readonly string[]).includes(s);
}

/** The profile an exchange implies, or undefined for an unknown exchange. */
export function profileForExchange(exchange: string): Profile | undefined {
  return EXCHANGE_PROFILE[exchange.toUpperCase()];
}
