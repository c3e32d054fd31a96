/**
 * The articles the knowledge base starts with: the common CFDI 4.0 problems a desk answers every
 * day, written for this product (es-MX). Installed by core when a workspace opens (new or
 * existing) if an article's id is not there yet, as published articles of the app (no author):
 * fixed ids, so every branch holds the same rows and sync merges them. Editing one makes it the
 * branch's own version; archiving it keeps it out of search without it coming back.
 * Pure data: no Node, DOM or Electron imports.
 */
import type { Category } from './domain';
import type { KbVisibility } from './kb';

export interface StarterArticle {
  id: string;
  category: Category;
  visibility: KbVisibility;
  title: string;
  body: string;
}

/** Raised when articles are added to this list, so existing workspaces install the new ones. */
export const KB_STARTER_VERSION = 1;

const id = (n: number) => `01938a00-4b00-7000-8000-${String(n).padStart(12, '0')}`;

export const KB_STARTER_ARTICLES: readonly StarterArticle[] = [
  {
    id: id(1),
    category: 'issue_invoice',
    visibility: 'public',
    title: 'Error al timbrar: los datos del receptor no coinciden con los del SAT',
    body: `En CFDI 4.0 el SAT valida, al timbrar, que los datos del receptor sean **exactamente** los de su registro. Si alguno no coincide, la factura no se timbra.

## Qué debe coincidir

1. **RFC**: debe estar activo en el padrón del SAT. Un RFC con un error de captura o dado de baja se rechaza.
2. **Nombre o razón social**: tal como aparece en la Constancia de Situación Fiscal del receptor, respetando letras, espacios y la letra Ñ. En personas morales se escribe **sin el régimen societario** (por ejemplo, sin "S.A. de C.V.").
3. **Régimen fiscal**: el régimen en el que el receptor está inscrito, con su clave del catálogo (por ejemplo, 601, 612 o 626). Además, el uso del CFDI que se elija debe corresponder a ese régimen.
4. **Código postal**: el del **domicilio fiscal** del receptor, no el de una sucursal ni el de entrega.

## Cómo resolverlo

- Pida al receptor su **Constancia de Situación Fiscal** reciente y copie los datos desde ella, sin abreviar.
- Revise que no haya espacios de más al inicio o al final del nombre.
- Si el receptor cambió de domicilio o de régimen hace poco, la constancia nueva es la que vale.
- Corrija los datos del cliente en el portal de facturación y vuelva a timbrar.

Si los datos coinciden con la constancia y el error sigue, envíenos la constancia y una captura del mensaje de error para revisarlo.`,
  },
  {
    id: id(2),
    category: 'issue_invoice',
    visibility: 'public',
    title: 'Facturar a público en general o a un cliente extranjero (RFC genéricos)',
    body: `Cuando el cliente no pide factura con sus datos, o es extranjero sin RFC mexicano, se usan los RFC genéricos del SAT.

## Público en general

- RFC: **XAXX010101000**
- Nombre: **PUBLICO EN GENERAL**
- Régimen fiscal del receptor: **616 Sin obligaciones fiscales**
- Uso del CFDI: **S01 Sin efectos fiscales**
- Código postal del receptor: el mismo del **lugar de expedición** de la factura.

## Extranjero

- RFC: **XEXX010101000**, con el nombre del cliente extranjero.
- Régimen fiscal del receptor: **616 Sin obligaciones fiscales**.
- Código postal del receptor: el mismo del **lugar de expedición**.
- Según la operación (por ejemplo, con complemento de comercio exterior), se piden además su país de residencia fiscal y su número de registro de identidad tributaria.

## Ojo

Si el cliente sí tiene RFC y pide factura, se le factura con sus datos: el RFC genérico no le sirve para deducir. Vea también el artículo sobre los datos del receptor que deben coincidir con el SAT.`,
  },
  {
    id: id(3),
    category: 'query_cancel_cfdi',
    visibility: 'public',
    title: 'Cancelar una factura: motivos 01, 02, 03 y 04 y cuándo se sustituye',
    body: `Para cancelar un CFDI hay que indicar uno de los cuatro motivos del SAT. El motivo decide si antes se emite una factura que la sustituya.

| Motivo | Cuándo se usa | ¿Factura que sustituye? |
|---|---|---|
| **01** Comprobante emitido con errores con relación | La factura tiene un error y se emite otra correcta en su lugar | **Sí**: primero se emite la nueva, relacionada con la anterior, y al cancelar se indica su folio fiscal (UUID) |
| **02** Comprobante emitido con errores sin relación | La factura tiene un error y no se va a emitir otra que la sustituya | No |
| **03** No se llevó a cabo la operación | La venta o el servicio no se realizó | No |
| **04** Operación nominativa relacionada en una factura global | Una venta ya incluida en la factura global a público en general, por la que después el cliente pidió factura con sus datos | Se emite la factura a nombre del cliente y la global se cancela con este motivo |

## Pasos con motivo 01

1. Emita la factura correcta y relaciónela con la que tiene el error (tipo de relación de sustitución).
2. Cancele la factura con error con el motivo 01 e indique el folio fiscal de la nueva.

## Aceptación del receptor

Algunas cancelaciones necesitan que el receptor las acepte en el portal del SAT. El receptor tiene **tres días hábiles** para responder; si no responde, la cancelación procede. Mientras tanto la factura aparece "en proceso". Si el receptor la rechaza, la factura sigue vigente.

No todas las facturas requieren aceptación: por ejemplo, los recibos de nómina y las facturas de hasta 1,000 pesos se cancelan sin ella. El portal de facturación indica el estado de cada solicitud de cancelación.`,
  },
  {
    id: id(4),
    category: 'payroll_payment_complement',
    visibility: 'public',
    title: 'Complemento de pago: cuándo se emite y plazo',
    body: `El complemento de pago (también llamado recibo electrónico de pago) se emite cuando una factura **no se pagó al momento de emitirla**.

## Cuándo se necesita

- La factura original se emitió con método de pago **PPD** (pago en parcialidades o diferido) y forma de pago **99 Por definir**.
- Por cada pago recibido, total o parcial, se emite un complemento de pago que relaciona la factura (o las facturas) que se están pagando.
- Si la factura se pagó completa al emitirla, lleva método **PUE** (pago en una sola exhibición) y **no** lleva complemento de pago.

## Plazo

El complemento se emite a más tardar el **día 5 del mes siguiente** a aquel en que se recibió el pago. Puede incluir todos los pagos recibidos de un mismo cliente en ese mes.

## Datos que suelen causar errores

- Fecha y forma en que se recibió el pago (transferencia, cheque, efectivo…), que deben ser las reales.
- Número de parcialidad, saldo anterior, importe pagado y saldo pendiente: el saldo pendiente no puede quedar negativo.
- Los datos del receptor deben coincidir con los de la factura original y con su registro en el SAT.`,
  },
  {
    id: id(5),
    category: 'payroll_payment_complement',
    visibility: 'public',
    title: 'Recibos de nómina: datos del trabajador que debe revisar',
    body: `El recibo de nómina es un CFDI con el complemento de nómina. El trabajador es el receptor, así que sus datos se validan contra el SAT igual que los de cualquier receptor.

## Datos del trabajador

- **RFC** y **CURP** correctos y vigentes.
- **Nombre** exactamente como en su Constancia de Situación Fiscal.
- **Código postal** de su domicilio fiscal.
- Régimen fiscal del receptor: **605 Sueldos y Salarios e Ingresos Asimilados a Salarios**.
- Uso del CFDI: **CN01 Nómina**.

## Antes de timbrar

- Pida a cada trabajador su Constancia de Situación Fiscal y actualice sus datos antes del primer timbrado del periodo.
- Revise fechas de pago e inicio y fin del periodo, días pagados y que las percepciones y deducciones cuadren con el total.

## Si un recibo salió mal

Los recibos de nómina se cancelan sin esperar la aceptación del trabajador. Si el recibo tenía errores, emita el correcto y cancele el anterior con motivo 01, indicando el folio fiscal del nuevo.`,
  },
  {
    id: id(6),
    category: 'csd_efirma_validation',
    visibility: 'public',
    title: 'CSD y e.firma: en qué se diferencian y cuál se carga en el portal',
    body: `Los dos son certificados del SAT con un archivo **.cer**, un archivo **.key** y una contraseña, pero sirven para cosas distintas.

| | e.firma (antes FIEL) | Certificado de Sello Digital (CSD) |
|---|---|---|
| Para qué sirve | Identificarse y firmar: trámites ante el SAT, contratos | **Sellar las facturas** (CFDI) |
| Cómo se obtiene | Por primera vez, en una oficina del SAT | Se tramita ante el SAT usando la e.firma |
| Vigencia | 4 años | 4 años |

## Cuál usar

- Para **facturar**, en el portal se carga el **CSD**. La e.firma no sirve para sellar facturas.
- Para **firmar el contrato** de servicio se usa la **e.firma**.

## Errores frecuentes al cargar el CSD

- **Contraseña incorrecta**: es la contraseña de la llave privada (.key) del CSD, que puede ser distinta a la de la e.firma.
- **El .cer y el .key no corresponden**: cada certificado tiene su propia llave; no se mezclan archivos de solicitudes distintas.
- **Certificado vencido o revocado**: hay que solicitar uno nuevo.
- **Se cargó la e.firma en lugar del CSD**: el portal la rechaza porque no es un certificado de sello.`,
  },
  {
    id: id(7),
    category: 'download_pdf_xml',
    visibility: 'public',
    title: 'Descargar el XML y el PDF de sus facturas',
    body: `- El **XML** es la factura electrónica: el archivo que tiene validez fiscal. Es el que hay que guardar.
- El **PDF** es la representación impresa del XML, para leerla o imprimirla.

## Desde el portal de facturación

1. Entre a la consulta de comprobantes emitidos.
2. Busque la factura por fecha, folio o RFC del receptor.
3. Descargue el XML, el PDF o ambos.

## Desde el portal del SAT

El emisor y el receptor pueden consultar sus facturas y descargar el XML en el servicio de factura electrónica del portal del SAT, entrando con su RFC y contraseña o con su e.firma.

## Si la descarga no inicia

- Revise que el navegador no esté bloqueando las descargas o las ventanas emergentes del portal.
- Busque el archivo en la carpeta de Descargas del equipo.
- Si el PDF no abre, pruebe con otro lector de PDF o con otro navegador: suele ser un problema del equipo, no de la factura.`,
  },
  {
    id: id(8),
    category: 'access_problem',
    visibility: 'public',
    title: 'No puedo entrar al portal: "Datos incorrectos" o usuario bloqueado',
    body: `## "Datos incorrectos"

Revise que esté capturando bien su **RFC**, su **usuario** y su **contraseña**:

- Sin espacios al inicio ni al final (pasa mucho al copiar y pegar).
- Con las mayúsculas y minúsculas correctas; revise que no esté activado Bloq Mayús.
- Con el RFC de la cuenta, no el de uno de sus clientes.

## Usuario bloqueado

Después de **tres intentos fallidos** el usuario se bloquea para proteger la cuenta. No siga intentando: comuníquese con soporte desde el **correo registrado** de la cuenta y le indicaremos cómo recuperar el acceso.

## Si olvidó la contraseña

Pida el cambio de contraseña a soporte desde el **correo registrado** de la cuenta. Si ya no tiene acceso a ese correo, vea el artículo sobre el cambio de correo registrado.`,
  },
  {
    id: id(9),
    category: 'change_registered_email',
    visibility: 'public',
    title: 'Cambiar el correo registrado de la cuenta',
    body: `El correo registrado es el único desde el que aceptamos solicitudes sobre la cuenta. Por eso su cambio se trata como un cambio de información sensible.

## Quién lo puede pedir

El **representante legal** del cliente, o el titular de los derechos del contrato.

## Cómo se pide

1. Envíe la solicitud **desde el correo registrado** actual.
2. Adjunte el formato de solicitud **firmado**.
3. Indique el nuevo correo y el motivo del cambio.

La solicitud se revisa y debe ser aprobada antes de aplicarse; le avisaremos cuando el cambio esté hecho. Por seguridad, no hacemos este cambio por teléfono ni por chat, ni con solicitudes que lleguen desde otro correo.`,
  },
  {
    id: id(10),
    category: 'credits_billing',
    visibility: 'public',
    title: 'Créditos de timbrado: saldo, consumo y cambio de paquete',
    body: `Cada comprobante que se timbra usa un **crédito** de su paquete. Una factura que el SAT rechaza al timbrar (por ejemplo, por datos del receptor que no coinciden) no se timbra.

## Saldo

Consulte los créditos disponibles en su cuenta del portal de facturación. Cuando se terminan, el portal no puede timbrar hasta que se agreguen créditos, así que conviene revisarlo antes de los cierres de mes.

## Cambio de paquete

Un cambio de paquete de créditos lo solicita el **representante legal** desde el **correo registrado**, con el formato firmado y el motivo. Requiere autorización antes de aplicarse; le confirmaremos cuando quede hecho.

## Facturas de nuestro servicio

Si necesita la factura de su compra de créditos o de la renovación de su servicio, pídala indicando el RFC y los datos fiscales con los que debe emitirse.`,
  },
  {
    id: id(11),
    category: 'renew_service',
    visibility: 'public',
    title: 'Renovar el servicio',
    body: `Su servicio tiene una vigencia. Antes de que termine, renuévelo para no quedarse sin poder timbrar.

- Revise la fecha de vencimiento en su cuenta del portal.
- Haga la renovación con tiempo: el pago puede tardar en reflejarse.
- Si su **CSD** vence antes que el servicio, tramite uno nuevo en el SAT y cárguelo en el portal: con un certificado vencido no se puede timbrar aunque el servicio esté vigente.

Si al renovar necesita cambiar de plan o de paquete de créditos, indíquelo en su solicitud.`,
  },
  {
    id: id(12),
    category: 'out_of_scope',
    visibility: 'internal',
    title: 'Fuera de alcance: conexión a internet y equipo del cliente',
    body: `Guía para la Mesa de Servicio. Los problemas de la **conexión a internet** del cliente o de **su propio equipo** (computadora, impresora, navegador, antivirus, red de su oficina) están fuera del alcance del soporte.

## Cómo reconocerlos

- El portal no carga para el cliente, pero sí desde otra red o para otros clientes.
- Falla solo en un equipo o en un navegador.
- El PDF descargado no abre o no imprime en su equipo.

## Qué hacer

1. Descarte primero un problema del servicio: pruebe el portal desde su lado.
2. Sugiera lo básico, sin intervenir el equipo del cliente: otro navegador, borrar caché, otra red, revisar que el antivirus o el navegador no bloqueen las descargas.
3. Si el problema es del equipo o de la conexión, explíquelo con amabilidad y recomiende acudir con su proveedor de internet o su área de sistemas.
4. Clasifique el ticket como **Fuera de alcance** y ciérrelo con la causa y la solución que se dio.`,
  },
  {
    id: id(13),
    category: 'other',
    visibility: 'internal',
    title: 'Qué pedir al cliente antes de escalar un error de timbrado',
    body: `Guía para la Mesa de Servicio. Antes de pasar un ticket a Operación, reúna lo necesario para que no regrese con preguntas:

- **RFC** del emisor y, si aplica, del receptor.
- **Mensaje de error completo**, de preferencia una captura de pantalla.
- Fecha y hora aproximada del intento, y tipo de comprobante (factura, nómina, complemento de pago).
- **Constancia de Situación Fiscal** del receptor cuando el error es de sus datos (nombre, régimen, código postal).
- Si el error ocurre con un solo receptor o con todos.

Muchos errores de CFDI 4.0 se resuelven en la Mesa de Servicio comparando los datos del receptor con su constancia (vea el artículo sobre datos del receptor). Escale con grado de severidad 2 cuando una funcionalidad falla pero el cliente puede seguir operando, y 3 cuando no puede timbrar en absoluto.`,
  },
];
