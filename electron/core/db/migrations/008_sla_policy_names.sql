-- The default SLA policies were named with the seed numbers they come from, e.g.
-- "… resolución 48 h (seed 000)": developer text on the admin screen and in the Bitácora.
-- A workspace stores the policies once an administrator saves the SLA settings; rename the
-- defaults there too, but only a name still equal to the old default (an edited name is the
-- user's). The stored value is JSON.stringify output: "name":"…" with no spaces, no escapes.
UPDATE settings SET value = replace(replace(replace(replace(value,
    '"name":"Quejas y severidad 3: 2 h / 8 h (seeds 002, 003)"',
    '"name":"Quejas: respuesta 2 h, resolución 8 h"'),
    '"name":"Falla del servicio (severidad 3): 2 h / 8 h (seed 002)"',
    '"name":"Falla del servicio (severidad 3): respuesta 2 h, resolución 8 h"'),
    '"name":"Teléfono y chat: atención inmediata, resolución 48 h (seed 000)"',
    '"name":"Teléfono y chat: atención inmediata, resolución 48 h"'),
    '"name":"Ticket web y correo: respuesta 24 h, resolución 48 h (seed 000)"',
    '"name":"Ticket web y correo: respuesta 24 h, resolución 48 h"')
  WHERE key = 'sla';
