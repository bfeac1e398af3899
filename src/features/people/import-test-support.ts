// A register file's lines for the import tests: the header, and a row of the values given.
export const HEADER =
  'Name,Email,Known as,Phone,Address,Region,Interests,Lived experience,Access needs,Payment,Last involved,Date of consent,How consent was given,Notes';
// One line of the file: the values given, in the header's order, the rest left as here.
const ROW_DEFAULTS = {
  name: 'Pat Person',
  email: '',
  known: '',
  phone: '',
  address: '',
  region: '',
  interests: '',
  lived: '',
  access: '',
  payment: '',
  last: '',
  date: '2025-01-15',
  how: 'Paper form',
  notes: '',
};
export const row = (o: Partial<typeof ROW_DEFAULTS>) =>
  Object.values({ ...ROW_DEFAULTS, ...o })
    .map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v))
    .join(',');
