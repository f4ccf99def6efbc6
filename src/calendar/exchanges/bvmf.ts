import { dates, easterOffset, fixed, observe } from "../rules.ts";
import { defineCalendar } from "../spec.ts";
import { goodFriday } from "./common.ts";

/** B3 (BM&FBOVESPA), São Paulo: 10:00–17:00, 18:00 from 2019-11-04; Ash Wednesday opens at 13:00 (from 2016). */
export default defineCalendar({
  name: "BVMF",
  title: "B3 (BM&FBOVESPA)",
  profile: "equity",
  timezone: "America/Sao_Paulo",
  firstYear: 1990,
  knownUntil: 2027,
  hours: [
    { open: "10:00", close: "17:00" },
    { from: "2019-11-04", open: "10:00", close: "18:00" },
  ],
  holidays: [
    fixed("Confraternização Universal", 1, 1),
    fixed("Aniversário de São Paulo", 1, 25, { to: 2021 }),
    easterOffset("Carnaval (Monday)", -48),
    easterOffset("Carnaval (Tuesday)", -47),
    goodFriday(),
    fixed("Tiradentes", 4, 21),
    fixed("Dia do Trabalho", 5, 1),
    easterOffset("Corpus Christi", 60),
    fixed("Revolução Constitucionalista", 7, 9, { from: 1998, to: 2019 }),
    fixed("Revolução Constitucionalista", 7, 9, { from: 2021, to: 2021 }),
    fixed("Independência", 9, 7),
    fixed("Nossa Senhora Aparecida", 10, 12),
    fixed("Finados", 11, 2),
    fixed("Proclamação da República", 11, 15),
    fixed("Consciência Negra", 11, 20, { from: 2004, to: 2019 }),
    fixed("Consciência Negra", 11, 20, { from: 2024 }),
    fixed("Véspera de Natal", 12, 24),
    fixed("Natal", 12, 25),
    fixed("Último dia do ano", 12, 31, { observe: observe.previousFriday }),
    dates("FIFA World Cup opening match", ["2014-06-12"]),
  ],
  lateOpens: [{ open: "13:00", rules: [easterOffset("Quarta-feira de Cinzas", -46, { from: 2016 })] }],
});
