/**
 * AT-command dialect drivers for programming a LoRaWAN module's OTAA identity over a serial line.
 *
 * <p>{@link io.lorafab.station.at.AtTransport} moves lines ({@link io.lorafab.station.at.StreamTransport}
 * over serial streams; tests replay recorded transcripts); an {@link io.lorafab.station.at.AtDialect}
 * formats commands and parses answers for one module family; {@link io.lorafab.station.at.Programmer}
 * runs identify → setIdentity → readBack → compare.
 *
 * <table>
 *   <caption>Per dialect</caption>
 *   <tr><th>dialect</th><th>EUI/key format</th><th>keys read back</th><th>NVM save</th><th>NwkKey</th></tr>
 *   <tr><td>RAK3172 RUI3</td><td>hex, MSB first</td><td>AppKey</td><td>implicit</td><td>no (1.0.x)</td></tr>
 *   <tr><td>Seeed LoRa-E5</td><td>hex in quotes; prints XX:XX:…</td><td>none</td><td>implicit</td>
 *       <td>no</td></tr>
 *   <tr><td>Microchip RN2483</td><td>hex, MSB first</td><td>none (no mac get appkey)</td>
 *       <td>{@code mac save}</td><td>no</td></tr>
 *   <tr><td>STM32WL AT_Slave</td><td>XX:XX:… MSB first</td><td>AppKey, NwkKey</td><td>{@code AT+CS}</td>
 *       <td>yes (defaults to AppKey)</td></tr>
 *   <tr><td>Murata ABZ</td><td>hex, MSB first</td><td>none (write-only)</td><td>{@code AT&amp;W}</td>
 *       <td>no</td></tr>
 * </table>
 *
 * <p>Exception messages name commands by their label ({@code AT+APPKEY}, {@code mac set appkey}) and
 * fields by name ({@code AppKey}); they never contain key values.
 */
package io.lorafab.station.at;
