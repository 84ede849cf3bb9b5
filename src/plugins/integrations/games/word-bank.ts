import type { GameLanguage } from './games-data.js';

/** A secret word for `/guess`: a common noun of 5–9 letters, lower case, with a one-line hint. */
export interface SecretWord {
  readonly word: string;
  readonly hint: string;
}

/** `word — hint` lines, one a word (the hint may have dashes of its own). */
function words(lines: string): readonly SecretWord[] {
  return lines
    .trim()
    .split('\n')
    .map((line) => {
      const at = line.indexOf(' — ');
      return { word: line.slice(0, at).trim(), hint: line.slice(at + 3).trim() };
    });
}

const RU = words(`
яблоко — Круглый фрукт, бывает красным и зелёным
корабль — Плывёт по морю, у него есть палуба и капитан
машина — Четыре колеса, руль и бензобак
телефон — По нему звонят
книга — Её читают, у неё есть страницы и обложка
подушка — На неё кладут голову ночью
зеркало — В нём видно своё отражение
будильник — Звенит по утрам
ракета — Летит в космос
гитара — Шестиструнный музыкальный инструмент
барабан — По нему стучат палочками
пианино — Клавишный инструмент, часто стоит в квартире
скрипка — Струнный инструмент со смычком
облако — Белое и пушистое, плывёт по небу
радуга — Семь цветов после дождя
молния — Вспышка в грозу
снежинка — Ледяная звёздочка, падает зимой
сосулька — Висит с крыши весной и капает
ромашка — Полевой цветок с белыми лепестками
подсолнух — Жёлтый цветок, из его семечек делают масло
морковь — Оранжевый корнеплод, любимец зайцев
капуста — Из неё варят щи
картошка — Второй хлеб: её жарят, варят и пекут
огурец — Зелёный и хрустящий, его солят
помидор — Красный овощ для салата
арбуз — Полосатая ягода с красной мякотью
лимон — Кислый жёлтый цитрус
банан — Жёлтый изогнутый фрукт, любимец обезьян
виноград — Растёт гроздьями, из него делают вино
малина — Красная ягода, варенье из неё пьют с чаем при простуде
клубника — Красная ягода с семечками снаружи
шоколад — Сладкая плитка из какао
мороженое — Холодный десерт в вафельном стаканчике
пельмени — Тесто с мясом, их лепят и варят
бутерброд — Хлеб, а сверху колбаса или сыр
котлета — Жареная лепёшка из фарша
сосиска — Её варят и едят с горчицей
чайник — В нём кипятят воду
тарелка — Из неё едят суп
кастрюля — В ней варят суп
сковорода — На ней жарят яичницу
диван — Мягкая мебель для гостиной
кресло — Мягкий стул с подлокотниками
лестница — По ней поднимаются на этаж
одеяло — Им укрываются ночью
зонтик — Спасает от дождя
перчатка — Надевается на руку зимой
шапка — Головной убор, зимой бывает с помпоном
ботинок — Обувь на шнурках
рубашка — Одежда с воротником и пуговицами
платье — Женская одежда, бывает вечерним
портфель — С ним ходят в школу
карандаш — Им рисуют, его точат
тетрадь — В ней пишут на уроке
линейка — Ей чертят прямые линии
учитель — Ведёт уроки в школе
доктор — Лечит людей
повар — Готовит еду в ресторане
пожарный — Тушит огонь
художник — Пишет картины
космонавт — Летает на орбиту
почтальон — Разносит письма
медведь — Большой бурый зверь, спит всю зиму
лисица — Рыжая и хитрая
кролик — Ушастый зверёк, любит морковку
собака — Друг человека, лает
кошка — Мурлычет и ловит мышей
лошадь — На ней скачут верхом
корова — Даёт молоко
жираф — Самая длинная шея в саванне
крокодил — Зелёный, зубастый, живёт в реке
черепаха — Носит свой дом на спине
пингвин — Птица во фраке, не летает
дельфин — Умный морской житель, но не рыба
акула — Морская хищница с острыми зубами
бабочка — Была гусеницей, стала красавицей
муравей — Маленький труженик, живёт в куче из хвои
пчела — Жужжит и делает мёд
воробей — Маленькая серая городская птица
ворона — Чёрно-серая птица, любит блестящее
павлин — Птица с роскошным хвостом
улитка — Медленная, носит раковину на спине
паутина — Сеть, которую плетёт паук
солнце — Звезда, вокруг которой вращается Земля
планета — Земля — одна из них
комета — Небесное тело с хвостом
вулкан — Огнедышащая гора
остров — Суша, со всех сторон окружённая водой
пустыня — Песок, жара и верблюды
болото — Топкое место, где квакают лягушки
водопад — Вода падает с обрыва
пещера — Тёмное укрытие в скале
ручей — Маленькая речка
дерево — У него ствол, ветки и листья
шиповник — Колючий куст, из его ягод заваривают чай
поезд — Едет по рельсам
трамвай — Городской транспорт на рельсах
автобус — Большая машина для пассажиров с остановками
велосипед — Два колеса и педали
самокат — Доска на колёсах с рулём
светофор — Красный, жёлтый, зелёный
дорога — По ней едут машины
вокзал — Отсюда уходят поезда
аэропорт — Отсюда улетают самолёты
больница — Здесь лечат
музей — Здесь хранят картины и древности
театр — Здесь играют спектакли
подарок — Его дарят на день рождения
праздник — День, когда все веселятся
гирлянда — Огоньки на новогодней ёлке
снеговик — Его лепят из трёх комков снега
конфета — Сладость в фантике
компьютер — На нём работают и играют
наушники — Чтобы слушать музыку, не мешая другим
фонарик — Светит в темноте, работает от батареек
свеча — Горит фитилём, тает воском
чемодан — Его берут в путешествие
палатка — Домик туриста
компас — Стрелка всегда смотрит на север
глобус — Модель Земли на подставке
корона — Её носит король
рыцарь — Воин в доспехах на коне
пират — Морской разбойник с попугаем
дракон — Сказочный змей, дышит огнём
волшебник — Колдует волшебной палочкой
принцесса — Дочь короля
сундук — Большой ящик с крышкой для сокровищ
якорь — Держит корабль на месте
парус — Ловит ветер на мачте
футбол — Игра, где мяч ведут ногами
шахматы — Игра с конями, ладьями и ферзём
коньки — Обувь с лезвиями для льда
качели — На них раскачиваются во дворе
`);

const EN = words(`
apple — A round fruit, red or green
banana — A long yellow fruit monkeys love
lemon — A sour yellow citrus
cherry — A small red fruit on a long stem
grape — Grows in bunches; wine is made from it
carrot — An orange root vegetable rabbits love
potato — Mashed, baked or fried
tomato — A red fruit we treat as a vegetable
onion — Makes you cry when you cut it
pumpkin — Carved into a lantern at Halloween
cheese — Made from milk; mice are said to love it
butter — Spread on bread, churned from cream
pancake — Flat and round, served with syrup
sandwich — Two slices of bread with a filling
cookie — A small sweet baked treat
chocolate — A sweet treat made from cocoa
teapot — You brew tea in it
kettle — Boils water
spoon — You eat soup with it
plate — You put food on it
window — You look through it
mirror — Shows your reflection
pillow — You rest your head on it at night
blanket — Keeps you warm in bed
candle — Has a wick and melts as it burns
ladder — You climb it rung by rung
chair — Four legs and a seat
table — You eat at it
couch — A long soft seat in the living room
umbrella — Keeps the rain off
glove — Worn on the hand in winter
jacket — Worn over a shirt when it is cool
shirt — Has buttons and a collar
sweater — A warm knitted top
pocket — A small pouch sewn into clothes
wallet — Holds your cards and cash
pencil — You write with it and sharpen it
notebook — Paper pages for notes
eraser — Rubs out pencil marks
teacher — Gives lessons at school
doctor — Treats the sick
farmer — Grows crops and keeps animals
pilot — Flies a plane
dentist — Looks after your teeth
astronaut — Travels into space
baker — Makes bread
rabbit — Long ears, loves carrots
tiger — A big striped cat
zebra — A horse with black and white stripes
giraffe — The tallest animal, with a very long neck
monkey — Swings from trees and loves bananas
elephant — A huge animal with a trunk
penguin — A bird in a tuxedo that cannot fly
dolphin — A clever sea mammal
turtle — Carries its home on its back
spider — Has eight legs and spins webs
butterfly — Was a caterpillar once
squirrel — Hides nuts for the winter
parrot — A colourful bird that can talk
eagle — A large bird of prey
camel — Carries people across the desert
horse — You ride it; it neighs
sheep — Gives us wool
shark — A sea predator with sharp teeth
octopus — Has eight arms
planet — Earth is one
comet — An icy body with a glowing tail
rocket — Launches into space
volcano — A mountain that can erupt
island — Land surrounded by water
desert — Sand, heat and camels
forest — Lots of trees together
river — Flows to the sea
waterfall — Water dropping over a cliff
rainbow — Seven colours after the rain
thunder — The loud noise after lightning
snowman — Built from three balls of snow
cloud — White and fluffy in the sky
garden — Where flowers and vegetables grow
bridge — Takes a road across a river
castle — A king’s fortress
tower — A tall narrow building
train — Runs on rails
bicycle — Two wheels and pedals
airport — Where planes take off
station — Where trains stop
library — Where you borrow books
museum — Where old and precious things are shown
theatre — Where plays are performed
hospital — Where doctors treat patients
guitar — A stringed instrument you strum
violin — Played with a bow under the chin
piano — Black and white keys
trumpet — A brass instrument you blow
whistle — Referees blow it
camera — Takes photos
laptop — A portable computer
keyboard — You type on it
battery — Powers your phone
compass — Its needle points north
anchor — Keeps a ship in place
treasure — Pirates bury it
pirate — A sea robber with a parrot
dragon — Breathes fire in fairy tales
wizard — Casts spells with a wand
princess — A king’s daughter
knight — Wears armour and rides a horse
crown — Worn by a king
balloon — Filled with air or helium
present — A gift in wrapping paper
birthday — Cake and candles once a year
football — Played with a ball and your feet
chess — A board game with kings and queens
puzzle — Pieces that fit together
kitchen — Where food is cooked
bedroom — Where you sleep
garage — Where the car is kept
holiday — Days off to rest or travel
lantern — A light you carry
`);

/** The words `/guess` hides, by language. */
const UK = words(`
яблуко — Круглий фрукт, буває червоним і зеленим
корабель — Пливе морем, у нього є палуба і капітан
машина — Чотири колеса, кермо і бак
телефон — По ньому дзвонять
книжка — Її читають, у неї є сторінки й обкладинка
подушка — На неї кладуть голову вночі
дзеркало — У ньому видно своє відображення
будильник — Дзвонить щоранку
ракета — Летить у космос
гітара — Шестиструнний музичний інструмент
барабан — По ньому стукають паличками
скрипка — Струнний інструмент зі смичком
хмаринка — Біла й пухнаста, пливе небом
веселка — Сім кольорів після дощу
блискавка — Спалах під час грози
сніжинка — Крижана зірочка, падає взимку
бурулька — Висить зі стріхи навесні й капає
ромашка — Польова квітка з білими пелюстками
соняшник — Жовта квітка, з насіння якої роблять олію
морква — Помаранчевий коренеплід, улюбленець зайців
капуста — З неї квасять і варять голубці
картопля — Її смажать, варять і печуть щодня
огірок — Зелений і хрусткий, його солять
помідор — Червоний овоч для салату
кавун — Смугаста ягода з червоним м'якушем
лимон — Кислий жовтий цитрус
банан — Жовтий вигнутий фрукт, улюбленець мавп
виноград — Росте гронами, з нього роблять вино
малина — Червона ягода, варення з неї п'ють з чаєм при застуді
полуниця — Червона ягода з насінинками зовні
шоколад — Солодка плитка з какао
морозиво — Холодний десерт у вафельному ріжку
вареники — Тісто з начинкою, їх ліплять і варять
бутерброд — Хліб, а зверху ковбаса чи сир
котлета — Смажений корж із фаршу
сосиска — Її варять і їдять з гірчицею
чайник — У ньому кип'ятять воду
тарілка — З неї їдять суп
каструля — У ній варять борщ
диван — М'які меблі для вітальні
крісло — М'який стілець із бильцями
драбина — По ній лізуть угору
ковдра — Нею вкриваються вночі
рукавичка — Її вдягають на руку взимку
шапка — Головний убір, узимку буває з помпоном
черевик — Взуття на шнурках
сорочка — Одяг із коміром і ґудзиками
сукня — Жіночий одяг, буває вечірньою
портфель — З ним ходять до школи
олівець — Ним малюють, його стругають
зошит — У ньому пишуть на уроці
лінійка — Нею креслять прямі лінії
вчитель — Веде уроки в школі
лікар — Лікує людей
кухар — Готує їжу в ресторані
пожежник — Гасить вогонь
художник — Малює картини
льотчик — Керує літаком
водій — Кермує автобусом чи таксі
листоноша — Приносить листи й газети
ведмідь — Великий бурий звір, узимку спить у барлозі
лисиця — Руда хитрунка з пухнастим хвостом
білка — Руда, стрибає по деревах і збирає горіхи
їжачок — Колючий звірок, згортається клубочком
черепаха — Повільна, носить панцир
жирафа — Найвища тварина з довгою шиєю
мавпа — Лазить по ліанах і любить банани
дельфін — Розумний морський ссавець
пінгвін — Птах, що не літає, живе в Антарктиді
лелека — Птах, що за казками приносить дітей
метелик — Комаха з яскравими крилами
бджола — Збирає нектар і робить мед
мурашка — Маленька трудівниця, будує купину
равлик — Носить хатку на спині
дерево — Має стовбур, гілки й листя
каштан — Дерево, символ Києва
калина — Кущ із червоними гіркими ягодами
вишня — Дерево з кислими червоними ягодами, садок біля хати
річка — Тече від джерела до моря
острів — Суходіл, з усіх боків оточений водою
пустеля — Пісок, спека і верблюди
вулкан — Гора, що вивергає лаву
водоспад — Вода падає з висоти
зірка — Світиться вночі на небі
планета — Земля, Марс чи Юпітер
місяць — Світить уночі, буває повним
сонечко — Світить удень і гріє
годинник — Показує час
ноутбук — Переносний комп'ютер
камера — Фотографує і знімає відео
велосипед — Два колеса і педалі
автобус — Великий транспорт із зупинками
трамвай — Їздить рейками містом
літак — Літає з аеропорту
потяг — Їздить залізницею з вагонами
човен — Маленьке судно з веслами
футбол — Гра з м'ячем і воротами
олімпіада — Великі змагання раз на чотири роки
свято — День, коли всі відпочивають і веселяться
подарунок — Його дарують на день народження
ялинка — Її прикрашають на Новий рік
паляниця — Український круглий хліб
бандура — Український народний струнний інструмент
вишиванка — Сорочка з українським орнаментом
писанка — Розписане великоднє яйце
`);

export const WORD_BANK: Readonly<Record<GameLanguage, readonly SecretWord[]>> = { ru: RU, uk: UK, en: EN };
